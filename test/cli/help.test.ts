import { afterEach, describe, expect, it, vi } from 'vitest';
import { help } from '../../etl/cli/help.ts';
import { main } from '../../etl/cli/main.ts';
import { runRcm } from '../helpers/run-rcm.ts';

/** Runs main() in this process (a subprocess per command would cost a tsx start each) and collects stdout. */
async function rcm(...argv: string[]): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  try {
    return { code: await main(argv), stdout };
  } finally {
    write.mockRestore();
  }
}

describe('help for every command', () => {
  const umask = process.umask();
  afterEach(() => {
    vi.restoreAllMocks();
    process.umask(umask); // main() tightens the umask for the real command line
  });

  it.each(Object.keys(help))(
    'rcm %s --help, -h and rcm help %s print its usage, options and an example',
    async (name) => {
      const long = await rcm(name, '--help');
      expect(long.code).toBe(0);
      expect(long.stdout).toContain(`usage: rcm ${name}`);
      expect(long.stdout).toContain('options:');
      expect(long.stdout).toMatch(/examples:\n {2}rcm /);
      expect(long.stdout).toContain('exit codes: 0 ok');
      expect((await rcm(name, '-h')).stdout).toBe(long.stdout);
      expect(await rcm('help', name)).toEqual(long);
    },
  );

  it('lists every command in the overview', async () => {
    const overview = await rcm('--help');
    expect(overview.code).toBe(0);
    for (const name of Object.keys(help)) expect(overview.stdout).toMatch(new RegExp(`^ {2}${name} `, 'm'));
  });

  it('answers --help on the real command line, where rcm load --help used to fail', () => {
    const result = runRcm(['load', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('--practice ID');
    expect(result.stderr).toBe('');
    const unknown = runRcm(['help', 'nosuch']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("no command 'nosuch'");
  });

  // Help is data beside each command's parseArgs: every option it documents must be one the command accepts.
  // An unknown option after it is refused (exit 2) naming that one, so the documented option parsed.
  it.each(Object.keys(help))('rcm %s accepts every option its help lists', async (name) => {
    const entry = help[name];
    for (const [option] of entry?.options ?? []) {
      const [flag, placeholder] = option.split(' ');
      if (!flag?.startsWith('--') || flag === '--') continue;
      let stderr = '';
      const write = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
        stderr += String(chunk);
        return true;
      });
      try {
        const argv = [name, flag, ...(placeholder === undefined ? [] : ['x']), '--not-an-option'];
        expect((await rcm(...argv)).code, `${name} ${flag}`).toBe(2);
      } finally {
        write.mockRestore();
      }
      expect(stderr, `${name} ${flag}`).toContain("Unknown option '--not-an-option'");
    }
  });
});
