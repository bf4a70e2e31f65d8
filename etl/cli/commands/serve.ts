import { existsSync } from 'node:fs';
import { reportsBuildDir } from '../../pipeline/reports.ts';
import { serveStatic } from '../../pipeline/static-server.ts';
import { parseArgs } from '../options.ts';

/** `rcm serve [--port 3000] [--dir DIR]`: serves the report site (reports/build) on 127.0.0.1 until interrupted. */
export async function serveCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { port: { type: 'string', default: '3000' }, dir: { type: 'string', default: reportsBuildDir } },
  });
  const dir = values.dir;
  if (!existsSync(dir))
    throw new Error(`${dir} does not exist: run \`npx rcm demo\` or \`npx rcm reports\` first`);
  const { url } = await serveStatic(dir, Number(values.port));
  process.stdout.write(`serving ${dir} at ${url} (Ctrl-C to stop)\n`);
  await new Promise(() => {});
  return 0;
}
