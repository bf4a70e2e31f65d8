/**
 * X12 benchmark: parse and parse + load throughput of the 835 engine on a file built by repetition, against a
 * plain-JS byte scan (the floor), a plain-JS loop finding every element's bounds (the floor of any parser that reads
 * every element) and x12-parser 1.3.0 (the fastest correct streaming npm parser) in the same run,
 * and the load against DuckDB's own cost of storing the same rows (duckdb-floor).
 * Each measurement runs in its own child process so its peak RSS is its own.
 *
 *   npx tsx scripts/bench/x12.ts            # 256 MB file
 *   npx tsx scripts/bench/x12.ts --mb 1024                       # the 1 GB file of the issue (64MB limit, as rcm load)
 *   npx tsx scripts/bench/x12.ts --mb 1024 --memory-limit 256MB  # under a limit of its own, as RCM_MEMORY_LIMIT
 *
 * Output: a Markdown table (for docs/benchmarks.md) and bench-out/x12-results.json. Not a test: nothing asserts.
 */
import { execFileSync } from 'node:child_process';
import {
  closeSync,
  createReadStream,
  existsSync,
  mkdirSync,
  openSync,
  readSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { X12parser } from 'x12-parser';
import { settingsForBigFiles } from '../../etl/load/big-file-settings.ts';
import { parseIntoWriters } from '../../etl/load/x12-parse-in-worker.ts';
import { parseToRows } from '../../etl/load/x12-row-sink.ts';
import { type X12Writers, x12Tables } from '../../etl/load/x12-tables.ts';
import { migrate } from '../../etl/warehouse/migrations.ts';
import { TableWriter } from '../../etl/warehouse/x12-table-writer.ts';
import { parseX12File } from '../../etl/x12/parse.ts';
import {
  type ClaimSpec,
  era835Interchange,
  type RemittanceSpec,
  serializeSegments,
} from '../../test/helpers/x12-serialize.ts';
import { benchOutDir } from './results.ts';

const outDir = benchOutDir;
const CHUNK = 1 << 20;

type Phase = 'scan' | 'elements' | 'x12-parser' | 'parse' | 'parse-load' | 'parse-load-1t' | 'duckdb-floor';

interface Measurement {
  phase: Phase;
  seconds: number;
  /** User + system CPU seconds of the measuring process (all its threads): stable when the machine is shared. */
  cpuSeconds: number;
  bytes: number;
  mbPerSecond: number;
  peakRssMb: number;
  detail: string;
}

/** A realistic professional 835 interchange: 40 claims, 1–4 lines each, CAS, remarks, dates, a PLB. */
function baseInterchange(seed: number): string {
  let state = seed;
  const next = (n: number) => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return (state >>> 16) % n;
  };
  const codes = ['99213', '99214', '99203', '36415', '80053', '85025', '90471', '93000'];
  const claims: ClaimSpec[] = [];
  for (let c = 0; c < 40; c++) {
    const lines = [];
    const lineCount = 1 + next(4);
    for (let l = 0; l < lineCount; l++) {
      const charge = BigInt(5_000 + next(30_000));
      const contractual = (charge * BigInt(20 + next(30))) / 100n;
      const coinsurance = BigInt(next(3_000));
      lines.push({
        qualifier: 'HC',
        code: codes[next(codes.length)] as string,
        modifiers: next(4) === 0 ? ['25'] : [],
        chargeCents: charge,
        paidCents: charge - contractual - coinsurance,
        serviceDate: '20260105',
        lineControlNumber: `L${c}-${l}`,
        allowedCents: charge - contractual,
        adjustments: [
          { group: 'CO', reason: '45', cents: contractual },
          { group: 'PR', reason: '2', cents: coinsurance },
        ],
        remarks: next(5) === 0 ? ['N130'] : [],
      });
    }
    const charge = lines.reduce((sum, l) => sum + l.chargeCents, 0n);
    const paid = lines.reduce((sum, l) => sum + l.paidCents, 0n);
    claims.push({
      patientControlNumber: `PCN${seed}-${c}`,
      status: '1',
      chargeCents: charge,
      paidCents: paid,
      patientResponsibilityCents: lines.reduce((sum, l) => sum + (l.adjustments[1]?.cents ?? 0n), 0n),
      payerClaimControlNumber: `ICN${seed}${c}`,
      patientLastName: 'DOE',
      patientFirstName: 'JANE',
      patientId: `M${c}`,
      renderingNpi: '1811111111',
      statementFrom: '20260105',
      adjustments: [],
      lines,
    });
  }
  const remittance: RemittanceSpec = {
    controlNumber: '0001',
    traceNumber: `EFT${seed}`,
    payerName: 'BENCHMARK HEALTH PLAN',
    payeeName: 'BENCHMARK FAMILY PRACTICE',
    payeeNpi: '1234567893',
    claims,
    providerAdjustments: [{ reason: 'WO', reference: 'RECOUP', cents: 1_250n }],
  };
  return serializeSegments(era835Interchange([remittance], undefined, String(seed)), undefined, '\n');
}

function buildFile(file: string, megabytes: number): void {
  if (existsSync(file) && statSync(file).size >= megabytes * 1e6) return;
  mkdirSync(path.dirname(file), { recursive: true });
  const blocks = Array.from({ length: 16 }, (_, i) => Buffer.from(baseInterchange(i + 1), 'latin1'));
  const fd = openSync(file, 'w');
  try {
    let written = 0;
    for (let i = 0; written < megabytes * 1e6; i++) {
      const block = blocks[i % blocks.length] as Buffer;
      writeFileSync(fd, block);
      written += block.length;
    }
  } finally {
    closeSync(fd);
  }
}

async function scan(file: string): Promise<string> {
  // The floor: read the file in chunks and count segment terminators byte by byte in plain JS.
  const fd = openSync(file, 'r');
  const buffer = Buffer.allocUnsafe(CHUNK);
  let segments = 0;
  try {
    for (;;) {
      const read = readSync(fd, buffer, 0, CHUNK, null);
      if (read === 0) break;
      for (let i = 0; i < read; i++) if (buffer[i] === 126) segments++;
    }
  } finally {
    closeSync(fd);
  }
  return `${segments} segment terminators`;
}

/**
 * The floor of any parser that reads every element: the same chunked read, plus the bounds of every element of
 * every segment recorded (the branch-light loop of the engine's tokenizer, without strings, records or the
 * envelope). The file's own separators are assumed (* and ~), and a segment cut by a chunk end is carried over.
 */
async function elements(file: string): Promise<string> {
  const fd = openSync(file, 'r');
  const buffer = Buffer.allocUnsafe(CHUNK * 2);
  const ends = new Int32Array(CHUNK + 1);
  let segments = 0;
  let elementCount = 0;
  let carried = 0;
  try {
    for (;;) {
      const read = readSync(fd, buffer, carried, CHUNK, null);
      const length = carried + read;
      let pos = 0;
      for (;;) {
        let count = 0;
        let i = pos;
        for (; i < length; i++) {
          const c = buffer[i] as number;
          if (c === 126) break;
          ends[count] = i;
          count += c === 42 ? 1 : 0;
        }
        if (i === length) break;
        ends[count] = i;
        segments++;
        elementCount += count + 1;
        pos = i + 1;
        // The line feed after each terminator.
        if (buffer[pos] === 10) pos++;
      }
      if (read === 0) break;
      carried = length - pos;
      buffer.copy(buffer, 0, pos, length);
    }
  } finally {
    closeSync(fd);
  }
  return `${segments} segments, ${elementCount} elements`;
}

async function peerParser(file: string): Promise<string> {
  let segments = 0;
  await new Promise<void>((resolve, reject) => {
    const parser = new X12parser();
    parser.on('data', () => segments++);
    parser.on('end', resolve);
    parser.on('error', reject);
    createReadStream(file, { highWaterMark: CHUNK }).on('error', reject).pipe(parser);
  });
  return `${segments} segments`;
}

async function parse(file: string): Promise<string> {
  let claims = 0;
  let lines = 0;
  let paid = 0n;
  const result = await parseX12File(file, {
    claim: (claim) => {
      claims++;
      lines += claim.lines.length;
    },
    remittance: (remittance) => {
      paid += remittance.totalPaidCents ?? 0n;
    },
  });
  return `${result.segments} segments, ${claims} claims, ${lines} lines, ${result.summary.transactions} ST, paid ${paid} cents`;
}

/** Where parse-load leaves its database for duckdb-floor to copy (main deletes it at the end). */
const loadedDatabase = path.join(outDir, 'x12-bench.duckdb');

async function openFresh(database: string): Promise<DuckDBInstance> {
  rmSync(database, { force: true });
  rmSync(`${database}.wal`, { force: true });
  const memoryLimit = process.env.X12_BENCH_MEMORY_LIMIT;
  return DuckDBInstance.create(database, memoryLimit ? { memory_limit: memoryLimit } : {});
}

/**
 * The loader's parse + load: the file parsed in a worker (it is far above WORKER_MIN_BYTES) while this thread
 * appends, as `rcm load` does; with `oneThread`, parsed and appended on this thread alone, as a small file is.
 */
async function parseAndLoad(file: string, oneThread = false): Promise<string> {
  const instance = await openFresh(loadedDatabase);
  const connection = await instance.connect();
  await migrate(connection);
  // As `rcm load` does for a file this big: fewer DuckDB threads, and its own memory limit unless the run sets
  // one (--memory-limit).
  const restoreSettings = oneThread
    ? async () => {}
    : await settingsForBigFiles(connection, [file], process.env.X12_BENCH_MEMORY_LIMIT);
  await connection.run('begin transaction');
  const writers = {} as Record<keyof X12Writers, TableWriter>;
  const appenders = [];
  for (const [key, table] of Object.entries(x12Tables)) {
    const appender = await connection.createAppender(table.name, 'raw');
    appenders.push(appender);
    writers[key as keyof X12Writers] = new TableWriter(appender, table, 'BENCH', 1n);
  }
  const parsed = { filePath: file, fileName: path.basename(file), practiceId: 'BENCH', fileId: 1n };
  if (oneThread) await parseToRows(file, parsed.fileName, writers);
  else await parseIntoWriters(parsed, writers);
  let rows = 0;
  for (const writer of Object.values(writers)) {
    writer.flush();
    rows += writer.rowCount;
  }
  for (const appender of appenders) appender.closeSync();
  await connection.run('commit');
  await restoreSettings();
  const check = await connection.runAndReadAll(
    'select count(*), sum(paid_amount)::varchar from raw.era_claims',
  );
  connection.closeSync();
  instance.closeSync();
  const [claims, paid] = check.getRows()[0] ?? [];
  return `${rows} rows (${claims} claims, paid ${paid}) in one transaction`;
}

/**
 * What DuckDB itself needs to store the rows parse-load wrote: the same raw tables, created the same way in a
 * fresh file database with the same memory_limit, filled by `insert into … select *` from parse-load's
 * database, all in one transaction, commit included. No JS runs per row, so parse-load's time over this one is
 * the price of the parser and the writer. Slightly generous to DuckDB's side: it also reads the rows back from
 * the source file.
 */
async function duckdbFloor(file: string): Promise<string> {
  if (!existsSync(loadedDatabase)) runChild('parse-load', file);
  const instance = await openFresh(path.join(outDir, 'x12-floor.duckdb'));
  const connection = await instance.connect();
  await migrate(connection);
  await connection.run(`attach '${loadedDatabase}' as source (read_only)`);
  await connection.run('begin transaction');
  let rows = 0;
  for (const table of Object.values(x12Tables)) {
    const reader = await connection.runAndReadAll(
      `insert into raw.${table.name} select * from source.raw.${table.name}`,
    );
    rows += Number(reader.getRows()[0]?.[0] ?? 0);
  }
  await connection.run('commit');
  connection.closeSync();
  instance.closeSync();
  rmSync(path.join(outDir, 'x12-floor.duckdb'), { force: true });
  return `${rows} rows copied table by table in one transaction`;
}

const phases: Record<Phase, (file: string) => Promise<string>> = {
  scan,
  elements,
  'x12-parser': peerParser,
  parse,
  'parse-load': (file) => parseAndLoad(file),
  'parse-load-1t': (file) => parseAndLoad(file, true),
  'duckdb-floor': duckdbFloor,
};

/** Runs one phase in a child process of its own, so its peak RSS is its own. */
function runChild(phase: Phase, file: string): Measurement {
  const output = execFileSync(
    process.execPath,
    [...process.execArgv, import.meta.filename, '--phase', phase, '--file', file],
    { encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  return JSON.parse(output.trim().split('\n').pop() as string) as Measurement;
}

async function runPhase(phase: Phase, file: string): Promise<void> {
  const started = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  const detail = await phases[phase](file);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuStart);
  const bytes = statSync(file).size;
  const measurement: Measurement = {
    phase,
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    bytes,
    mbPerSecond: bytes / 1e6 / seconds,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    detail,
  };
  process.stdout.write(`${JSON.stringify(measurement)}\n`);
}

/** parse-load read against DuckDB's own cost for the same rows (and the parse alone, when measured). */
function floorReading(load?: Measurement, floor?: Measurement, parsed?: Measurement): string[] {
  if (!load || !floor) return [];
  const times = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
  const parseNote = parsed
    ? `; parse alone + duckdb-floor would be ${(parsed.cpuSeconds + floor.cpuSeconds).toFixed(1)} CPU s`
    : '';
  return [
    '',
    `parse-load took ${times(load.seconds, floor.seconds)} the wall time and ${times(load.cpuSeconds, floor.cpuSeconds)} the CPU time DuckDB needs to store the same rows (duckdb-floor)${parseNote}.`,
  ];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      mb: { type: 'string', default: '256' },
      phase: { type: 'string' },
      file: { type: 'string' },
      skip: { type: 'string' },
      'memory-limit': { type: 'string' },
    },
  });
  if (values.phase) {
    await runPhase(values.phase as Phase, values.file as string);
    return;
  }
  const megabytes = Number(values.mb);
  const file = path.join(outDir, `x12-bench-${megabytes}mb.835`);
  buildFile(file, megabytes);
  const skip = new Set((values.skip ?? '').split(',').filter(Boolean));
  // duckdb-floor copies what this run's parse-load wrote, never a database left by an earlier run.
  rmSync(loadedDatabase, { force: true });
  rmSync(`${loadedDatabase}.wal`, { force: true });
  // DuckDB's memory_limit for the parse + load phases (default: DuckDB's own, 80% of RAM; parse-load, a worker's,
  // lowers it for the file as `rcm load` does, etl/load/big-file-settings.ts).
  if (values['memory-limit']) process.env.X12_BENCH_MEMORY_LIMIT = values['memory-limit'];
  const results: Measurement[] = [];
  for (const phase of Object.keys(phases) as Phase[]) {
    if (skip.has(phase)) continue;
    const measurement = runChild(phase, file);
    results.push(measurement);
    process.stderr.write(
      `${phase}: ${measurement.mbPerSecond.toFixed(1)} MB/s, peak RSS ${measurement.peakRssMb.toFixed(0)} MB (${measurement.detail})\n`,
    );
  }
  rmSync(loadedDatabase, { force: true });
  rmSync(`${loadedDatabase}.wal`, { force: true });
  const by = (phase: Phase) => results.find((r) => r.phase === phase);
  const ratio = (a?: Measurement, b?: Measurement) =>
    a && b ? `${(a.mbPerSecond / b.mbPerSecond).toFixed(2)}×` : '—';
  const lines = [
    `X12 benchmark, ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'cpu'}), Node ${process.version}, file ${(statSync(file).size / 1e6).toFixed(0)} MB (${path.basename(file)}):`,
    '',
    `Machine load average at start: ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' / ')}.`,
    '',
    '| measurement | MB/s (wall) | wall s | CPU s | peak RSS (MB) | vs byte scan | vs elements | vs x12-parser | vs duckdb-floor |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...results.map(
      (r) =>
        `| ${r.phase} | ${r.mbPerSecond.toFixed(1)} | ${r.seconds.toFixed(1)} | ${r.cpuSeconds.toFixed(1)} | ${r.peakRssMb.toFixed(0)} | ${ratio(r, by('scan'))} | ${ratio(r, by('elements'))} | ${ratio(r, by('x12-parser'))} | ${ratio(r, by('duckdb-floor'))} |`,
    ),
    ...floorReading(by('parse-load'), by('duckdb-floor'), by('parse')),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  writeFileSync(path.join(outDir, 'x12-results.json'), `${JSON.stringify({ file, results }, null, 2)}\n`);
}

await main();
