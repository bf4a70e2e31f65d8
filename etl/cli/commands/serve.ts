import { existsSync } from 'node:fs';
import { reportsBuildDir } from '../../pipeline/reports.ts';
import { serveStatic } from '../../pipeline/static-server.ts';
import { parseArgs } from '../options.ts';

/** `rcm serve [--port 3000]`: serves reports/build on 127.0.0.1 until interrupted. */
export async function serveCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { port: { type: 'string', default: '3000' } } });
  if (!existsSync(reportsBuildDir))
    throw new Error(`${reportsBuildDir} does not exist: run \`npx rcm demo\` or \`npx rcm reports\` first`);
  const { url } = await serveStatic(reportsBuildDir, Number(values.port));
  process.stdout.write(`serving ${reportsBuildDir} at ${url} (Ctrl-C to stop)\n`);
  await new Promise(() => {});
  return 0;
}
