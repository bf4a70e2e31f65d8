import { parseArgs } from 'node:util';
import { type GenerateOptions, generate } from '../../generate/index.ts';

const USAGE = `usage: rcm generate --out DIR [--practices N] [--providers N] [--months N] [--start YYYY-MM-DD]
                    [--as-of YYYY-MM-DD] [--seed S]
                    [--dialects canonical,ledger,compact,txledger,cms1500,openemr]
                    [--visits N] [--emit-837] [--overwrite] [--json]
Writes a synthetic practice inbox (PM CSVs, 835s, 999/277CA, rejections, fee schedules, bank deposits)
and DIR/manifest.json. Same options and seed give byte-identical files.`;

function int(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new Error(`--${name} must be a whole number, got '${v}'\n${USAGE}`);
  return Number(v);
}

/** `rcm generate`: the synthetic practice generator (etl/generate). */
export async function generateCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      practices: { type: 'string' },
      providers: { type: 'string' },
      months: { type: 'string' },
      start: { type: 'string' },
      'as-of': { type: 'string' },
      seed: { type: 'string' },
      dialects: { type: 'string' },
      visits: { type: 'string' },
      overwrite: { type: 'boolean' },
      'emit-837': { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const outDir = values.out ?? positionals[0];
  if (!outDir || positionals.length > 1) throw new Error(USAGE);
  const options: GenerateOptions = {
    outDir,
    practices: int('practices', values.practices),
    providersPerPractice: int('providers', values.providers),
    months: int('months', values.months),
    startDate: values.start,
    asOf: values['as-of'],
    seed: values.seed,
    dialects: values.dialects?.split(',').map((d) => d.trim()) as GenerateOptions['dialects'],
    visitsPerProviderDay: values.visits === undefined ? undefined : Number(values.visits),
    overwrite: values.overwrite ?? false,
    emit837: values['emit-837'] ?? false,
  };
  for (const k of Object.keys(options) as (keyof GenerateOptions)[])
    if (options[k] === undefined) delete options[k];
  const started = performance.now();
  const manifest = await generate(options);
  const seconds = (performance.now() - started) / 1000;
  const bytes = manifest.files.reduce((s, f) => s + f.bytes, 0);
  const summary = {
    out_dir: outDir,
    seed: manifest.seed,
    period: manifest.period,
    practices: manifest.practices.length,
    claims: manifest.practices.reduce((s, p) => s + p.claims, 0),
    charge_lines: manifest.practices.reduce((s, p) => s + p.charge_lines, 0),
    files: manifest.files.length,
    bytes,
    seconds: Number(seconds.toFixed(2)),
  };
  if (values.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  else {
    process.stdout.write(
      `generated ${summary.practices} practice(s), ${summary.claims} claims, ${summary.charge_lines} charge lines, ` +
        `${summary.files} files (${(bytes / 1e6).toFixed(1)} MB) in ${summary.seconds} s -> ${outDir}\n` +
        `period ${manifest.period.start} .. ${manifest.period.end}, as of ${manifest.period.as_of}; manifest: ${outDir}/manifest.json\n`,
    );
  }
  return 0;
}
