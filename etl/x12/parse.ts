import { readFileSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { Ack277Parser, type Ack277Sink, type Ack277Totals } from './ack277.ts';
import { Ack999Parser, type Ack999Sink, type Ack999Totals } from './ack999.ts';
import { Claim837Parser, type Claim837Sink, type Claim837Totals } from './claim837.ts';
import { EnvelopeReader, type EnvelopeSummary, type TransactionParserFactory } from './envelope.ts';
import { Era835Parser } from './era835.ts';
import type { Era835Sink } from './era835-records.ts';
import type { X12Issue } from './errors.ts';

/** Receives the records of every transaction set kind; implement the callbacks you need. */
export interface X12Sink extends Era835Sink, Claim837Sink, Ack277Sink, Ack999Sink {}

export interface ParseResult {
  file: string;
  bytes: number;
  segments: number;
  summary: EnvelopeSummary;
  issues: X12Issue[];
  totals277: Ack277Totals;
  totals999: Ack999Totals;
  totals837: Claim837Totals;
}

export const DEFAULT_CHUNK_SIZE = 1 << 20;

/** A parse in progress: push chunks, then finish. Shared by the file and the in-memory entry points. */
export class X12Parse {
  readonly envelope: EnvelopeReader;
  readonly totals277: Ack277Totals = { claims: 0, accepted: 0, rejected: 0 };
  readonly totals999: Ack999Totals = { transactionSets: 0, accepted: 0, rejected: 0 };
  readonly totals837: Claim837Totals = { claims: 0, serviceLines: 0, chargeCents: 0n };
  private bytes = 0;

  constructor(
    private readonly file: string,
    sink: X12Sink,
  ) {
    const factory: TransactionParserFactory = (context, kind) => {
      switch (kind) {
        case '835':
          return new Era835Parser(context, sink);
        case '837P': {
          const parser = new Claim837Parser(context, sink);
          return {
            segment: (el, no, off) => parser.segment(el, no, off),
            end: (no, off) => {
              parser.end(no, off);
              this.totals837.claims += parser.totals.claims;
              this.totals837.serviceLines += parser.totals.serviceLines;
              this.totals837.chargeCents += parser.totals.chargeCents;
            },
          };
        }
        case '277CA':
        case '277': {
          const parser = new Ack277Parser(context, sink);
          return {
            segment: (el, no, off) => parser.segment(el, no, off),
            end: () => {
              parser.end();
              add277(this.totals277, parser.totals);
            },
          };
        }
        case '999': {
          const parser = new Ack999Parser(context, sink);
          return {
            segment: (el, no, off) => parser.segment(el, no, off),
            end: () => {
              parser.end();
              add999(this.totals999, parser.totals);
            },
          };
        }
        default:
          return null;
      }
    };
    this.envelope = new EnvelopeReader(file, factory);
  }

  push(chunk: Uint8Array | string): void {
    this.bytes += chunk.length;
    this.envelope.push(chunk);
  }

  finish(): ParseResult {
    this.envelope.end();
    return {
      file: this.file,
      bytes: this.bytes,
      segments: this.envelope.reader.segmentCount,
      summary: this.envelope.summary,
      issues: this.envelope.issues,
      totals277: this.totals277,
      totals999: this.totals999,
      totals837: this.totals837,
    };
  }
}

/**
 * Parses an X12 file in chunks (bounded memory whatever its size), handing records to the sink.
 * Throws X12Error when the file cannot be read as X12 at all; everything else is in `issues`.
 */
export async function parseX12File(
  filePath: string,
  sink: X12Sink,
  options: { chunkSize?: number; fileName?: string } = {},
): Promise<ParseResult> {
  const fileName = options.fileName ?? path.basename(filePath);
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  // A file smaller than a chunk is read in one call: most files are a few KB, and a 1 MiB buffer and four
  // asynchronous calls each cost more than parsing them.
  if (statSync(filePath).size < chunkSize) return parseX12Text(readFileSync(filePath), sink, { fileName });
  const parse = new X12Parse(fileName, sink);
  const handle = await open(filePath, 'r');
  try {
    const buffer = Buffer.allocUnsafe(chunkSize);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      parse.push(buffer.subarray(0, bytesRead));
    }
  } finally {
    await handle.close();
  }
  return parse.finish();
}

/** Parses X12 held in memory (tests, small inputs); `chunkSize` splits it to exercise the streaming path. */
export function parseX12Text(
  text: string | Uint8Array,
  sink: X12Sink,
  options: { fileName?: string; chunkSize?: number } = {},
): ParseResult {
  const parse = new X12Parse(options.fileName ?? '<memory>', sink);
  const bytes = typeof text === 'string' ? Buffer.from(text, 'latin1') : text;
  const size = options.chunkSize ?? bytes.length;
  for (let start = 0; start < bytes.length; start += Math.max(1, size)) {
    parse.push(bytes.subarray(start, start + Math.max(1, size)));
  }
  return parse.finish();
}

function add277(total: Ack277Totals, part: Ack277Totals): void {
  total.claims += part.claims;
  total.accepted += part.accepted;
  total.rejected += part.rejected;
}

function add999(total: Ack999Totals, part: Ack999Totals): void {
  total.transactionSets += part.transactionSets;
  total.accepted += part.accepted;
  total.rejected += part.rejected;
}
