import { describe, expect, it } from 'vitest';
import { EnvelopeReader } from '../../etl/x12/envelope.ts';
import { X12Error } from '../../etl/x12/errors.ts';
import type { Separators } from '../../etl/x12/separators.ts';
import { SegmentReader } from '../../etl/x12/tokenizer.ts';
import { isaSegment, serializeSegments } from '../helpers/x12-serialize.ts';

interface Read {
  segments: { elements: string[]; segmentNo: number; offset: number }[];
  issues: { code: string; segmentNo: number }[];
}

function read(text: string | Buffer, chunkSize = Number.POSITIVE_INFINITY): Read {
  const segments: Read['segments'] = [];
  const issues: Read['issues'] = [];
  const reader = new SegmentReader(
    't.x12',
    (segment, segmentNo, offset) => segments.push({ elements: segment.elements(), segmentNo, offset }),
    {
      onIssue: (issue) => issues.push({ code: issue.code, segmentNo: issue.segmentNo }),
    },
  );
  const bytes = typeof text === 'string' ? Buffer.from(text, 'latin1') : text;
  const size = Math.min(chunkSize, bytes.length || 1);
  for (let i = 0; i < bytes.length; i += size) reader.push(bytes.subarray(i, i + size));
  reader.end();
  return { segments, issues };
}

const ids = (r: Read) => r.segments.map((s) => s.elements[0]);

const standard: Separators = { element: '*', component: ':', repetition: '^', segment: '~' };

function interchange(separators: Separators, lineBreak = '', control = '1'): string {
  return serializeSegments(
    [
      isaSegment(separators, control),
      ['GS', 'HP', 'S', 'R', '20260101', '1200', control, 'X', '005010X221A1'],
      ['ST', '835', '0001'],
      ['BPR', 'I', '10.00', 'C', 'CHK'],
      ['CLP', 'PCN1', '1', '10.00', '10.00'],
      ['SVC', ['HC', '99213', '25'], '10.00', '10.00'],
      ['SE', '5', '0001'],
      ['GE', '1', control],
      ['IEA', '1', control.padStart(9, '0')],
    ],
    separators,
    lineBreak,
  );
}

describe('SegmentReader', () => {
  it('reads separators from the ISA: element (byte 3), repetition (ISA11), component (ISA16), terminator', () => {
    const r = read(interchange({ element: '|', component: '>', repetition: '!', segment: '\u001e' }));
    expect(ids(r)).toEqual(['ISA', 'GS', 'ST', 'BPR', 'CLP', 'SVC', 'SE', 'GE', 'IEA']);
    expect(r.segments[5]?.elements[1]).toBe('HC>99213>25');
    expect(r.segments[0]?.elements).toHaveLength(17);
    expect(r.issues).toEqual([]);
  });

  it('gives 1-based segment numbers and exact byte offsets, whatever follows each terminator', () => {
    for (const lineBreak of ['', '\n', '\r\n']) {
      const text = interchange(standard, lineBreak);
      const r = read(text);
      expect(r.segments.map((s) => s.segmentNo)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
      for (const s of r.segments)
        expect(text.slice(s.offset, s.offset + 3)).toBe(s.elements[0]?.padEnd(3, '*').slice(0, 3));
    }
  });

  it('accepts a newline as the segment terminator (ISA16 followed by \\n), with or without CR', () => {
    expect(ids(read(interchange({ ...standard, segment: '\n' })))).toHaveLength(9);
    const crlf = interchange({ ...standard, segment: '\n' }).replace(/\n/g, '\r\n');
    const r = read(crlf);
    expect(ids(r)).toHaveLength(9);
    expect(r.segments[3]?.elements).toEqual(['BPR', 'I', '10.00', 'C', 'CHK']);
  });

  it('removes CR/LF hard-wrapped inside segments, skips leading whitespace, a BOM and empty segments', () => {
    const text = interchange(standard).replace('CLP*PCN1*1*10.0', 'CLP*PCN1*1*10\r\n.0');
    const r = read(`\u00ef\u00bb\u00bf  \r\n${text}~~\n\n`);
    expect(r.segments[4]?.elements).toEqual(['CLP', 'PCN1', '1', '10.00', '10.00']);
    expect(ids(r)).toHaveLength(9);
    expect(r.issues).toEqual([]);
  });

  it('copies the unfinished tail of a chunk: the caller may overwrite its read buffer with the next chunk', () => {
    const text = interchange(standard, '\n').repeat(3);
    const whole = read(text);
    for (const size of [7, 64, 100]) {
      // One buffer reused for every chunk, as parseX12File reads a file.
      const segments: string[] = [];
      const reader = new SegmentReader('t.x12', (segment) => segments.push(segment.elements().join('*')));
      const source = Buffer.from(text, 'latin1');
      const buffer = Buffer.alloc(size);
      for (let i = 0; i < source.length; i += size) {
        const n = source.copy(buffer, 0, i, i + size);
        reader.push(buffer.subarray(0, n));
        buffer.fill(0x40);
      }
      reader.end();
      expect(segments).toEqual(whole.segments.map((s) => s.elements.join('*')));
    }
    expect(whole.segments).toHaveLength(27);
  });

  it('reads several interchanges, each with its own separators', () => {
    const text =
      interchange(standard) +
      interchange({ element: '^', component: '>', repetition: null, segment: '\n' }, '', '2');
    const r = read(text, 7);
    expect(ids(r)).toHaveLength(18);
    expect(r.segments[14]?.elements[1]).toBe('HC>99213>25');
  });

  it('accepts an ISA with its padding stripped (not 106 bytes) with a warning', () => {
    const text = interchange(standard).replace(/ +\*/g, '*');
    const r = read(text);
    expect(ids(r)).toHaveLength(9);
    expect(r.issues.map((i) => i.code)).toEqual(['x12.isa_length']);
  });

  it('reads a file that starts at ST with the default separators, or newline-terminated', () => {
    const bare = 'ST*835*1~BPR*I*1*C~SE*3*1~';
    expect(ids(read(bare))).toEqual(['ST', 'BPR', 'SE']);
    expect(ids(read(bare.replace(/~/g, '\n')))).toEqual(['ST', 'BPR', 'SE']);
    expect(read(bare).issues.map((i) => i.code)).toEqual(['x12.no_envelope']);
  });

  it('warns about a last segment without terminator, and reads it', () => {
    const r = read('ST*835*1~SE*2*1');
    expect(ids(r)).toEqual(['ST', 'SE']);
    expect(r.issues.map((i) => i.code)).toEqual(['x12.no_envelope', 'x12.missing_terminator']);
  });

  it('decodes UTF-8 names and keeps invalid UTF-8 as latin1, offsets staying in bytes', () => {
    const utf8 = Buffer.concat([
      Buffer.from('ST*835*1~NM1*QC*1*'),
      Buffer.from('MUÑOZ', 'utf8'),
      Buffer.from('~SE*3*1~'),
    ]);
    const r = read(utf8);
    expect(r.segments[1]?.elements[3]).toBe('MUÑOZ');
    for (const size of [1, 2, 3, 20, 21, 22]) expect(read(utf8, size).segments[1]?.elements[3]).toBe('MUÑOZ');
    expect(r.segments[2]?.offset).toBe(utf8.indexOf('SE*'));
    const latin1 = Buffer.from('ST*835*1~NM1*QC*1*MU\u00d1OZ~SE*3*1~', 'latin1');
    expect(read(latin1).segments[1]?.elements[3]).toBe('MU\u00d1OZ');
  });

  it('stays linear on long stretches without separators (no search to the end of the chunk per segment)', () => {
    // Each "ABC" segment has no element separator and the chunk holds no CR: a search per segment to the end of
    // the 1 MiB chunk would make this quadratic (minutes); it must take one pass.
    const text = `ST*835*1\n${'ABC\n'.repeat(200_000)}SE*3*1\n`;
    const reader = new SegmentReader('t.x12', () => {});
    const bytes = Buffer.from(text, 'latin1');
    for (let i = 0; i < bytes.length; i += 1 << 20) reader.push(bytes.subarray(i, i + (1 << 20)));
    reader.end();
    expect(reader.segmentCount).toBe(200_002);
  });

  it('rejects what is not X12 with the location, what was expected and what was found', () => {
    const error = catchError(() => read('hello world'));
    expect(error).toBeInstanceOf(X12Error);
    expect(error.location).toBe('segment 1 (byte 0)');
    expect(error.expected).toMatch(/ISA/);
    expect(error.found).toBe('"hello world"');
  });

  it('rejects an ISA whose separators collide, and a segment longer than the bound (no unbounded buffering)', () => {
    expect(() => read(interchange(standard).replace('*00501*', '*00501*').replace(/\*:~/, '*~~'))).toThrow(
      X12Error,
    );
    const long = `ST*835*1~NM1*${'A'.repeat(70_000)}`;
    const error = catchError(() => read(long, 4096));
    expect(error.expected).toMatch(/segment terminator/);
    expect(error.location).toBe('segment 2 (byte 9)');
  });
});

describe('EnvelopeReader', () => {
  function envelope(text: string) {
    const reader = new EnvelopeReader('t.x12', () => null);
    reader.push(text);
    reader.end();
    return reader;
  }

  it('counts interchanges, groups and transaction sets and accepts correct trailers silently', () => {
    const reader = envelope(interchange(standard) + interchange(standard, '\n', '2'));
    expect(reader.summary).toMatchObject({
      interchanges: 2,
      groups: 2,
      transactions: 2,
      firstType: '835',
      firstVersion: '005010X221A1',
    });
    expect(reader.issues).toEqual([]);
  });

  it('warns on wrong SE01/GE01/IEA01 counts and control numbers, but does not fail', () => {
    const text = interchange(standard)
      .replace('SE*5*0001', 'SE*9*0002')
      .replace('GE*1*1', 'GE*2*7')
      .replace('IEA*1*000000001', 'IEA*3*000000008');
    const reader = envelope(text);
    expect(reader.issues.map((i) => [i.severity, i.code, i.segmentNo])).toEqual([
      ['warning', 'x12.se_count', 7],
      ['warning', 'x12.se_control', 7],
      ['warning', 'x12.ge_count', 8],
      ['warning', 'x12.ge_control', 8],
      ['warning', 'x12.iea_count', 9],
      ['warning', 'x12.iea_control', 9],
    ]);
    expect(reader.errorCount).toBe(0);
  });

  it('reports missing trailers and segments outside a transaction set as errors', () => {
    const truncated = interchange(standard).split('SE*')[0] as string;
    const reader = envelope(truncated);
    expect(reader.issues.filter((i) => i.severity === 'error').map((i) => i.code)).toEqual([
      'x12.missing_se',
      'x12.missing_ge',
      'x12.missing_iea',
    ]);
    const stray = envelope(interchange(standard).replace('GE*1*1~', 'GE*1*1~REF*EV*X~'));
    expect(stray.issues.map((i) => i.code)).toEqual(['x12.outside_transaction']);
  });

  it('names the segment that cut a transaction set, group or interchange short', () => {
    const truncated = interchange(standard).split('SE*')[0] as string;
    const reader = envelope(truncated + interchange(standard));
    const cut = reader.issues.filter((i) => i.severity === 'error').map((i) => [i.code, i.message]);
    expect(cut.map(([code]) => code)).toEqual(['x12.missing_se', 'x12.missing_ge', 'x12.missing_iea']);
    expect(cut[0]?.[1]).toMatch(/^ISA inside transaction set ".+": expected SE$/);
    expect(cut[1]?.[1]).toMatch(/^ISA inside functional group ".+": expected GE$/);
    expect(cut[2]?.[1]).toMatch(/^ISA inside interchange ".+": expected IEA$/);
  });

  it('keeps memory bounded on a file of endless errors, but always the first error', () => {
    const reader = envelope(interchange(standard) + 'REF*EV*X~'.repeat(30_000));
    expect(reader.issues.length).toBeLessThanOrEqual(10_001);
    expect(reader.issues[0]).toMatchObject({
      severity: 'error',
      code: 'x12.outside_transaction',
      segmentNo: 10,
    });
    expect(reader.issues.at(-1)?.message).toMatch(/more issues not listed/);
  });

  it('says clearly that 004010 is unsupported and recognises other transaction sets without parsing them', () => {
    const institutional = envelope(
      interchange(standard).replace('ST*835', 'ST*837').replaceAll('005010X221A1', '005010X223A2'),
    );
    expect(institutional.issues.map((i) => [i.severity, i.code])).toEqual([
      ['error', 'x12.unsupported_version'],
    ]);
    expect(institutional.issues[0]?.message).toMatch(/005010X223A2.*not supported.*837P, professional/);
    const old = envelope(interchange(standard).replace('005010X221A1', '004010X091A1'));
    expect(old.issues.map((i) => [i.severity, i.code])).toEqual([['error', 'x12.unsupported_version']]);
    expect(old.issues[0]?.message).toMatch(/004010X091A1.*not supported.*005010X221A1/);
    const other = envelope(
      interchange(standard).replace('ST*835', 'ST*834').replace('005010X221A1', '005010X220A1'),
    );
    expect(other.summary.firstType).toBe('834');
    expect(other.issues.map((i) => [i.severity, i.code])).toEqual([['warning', 'x12.not_parsed']]);
  });
});

function catchError(run: () => unknown): X12Error {
  try {
    run();
  } catch (error) {
    return error as X12Error;
  }
  throw new Error('expected an error');
}
