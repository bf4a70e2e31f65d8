// dbt's Python parses one AST at a time (scripts/python/rcm_ast_lock.py): CPython 3.11 before 3.11.8 fails a
// parse when two threads build ASTs at once and a garbage collection interleaves them, and dbt builds two models
// at once.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, venvBin } from '../../etl/config.ts';

const python = (code: string) =>
  spawnSync(venvBin('python'), ['-c', code], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });

describe("dbt's Python", () => {
  it('starts with the lock around ast.parse, and dbt runs under that Python', () => {
    const run = python('import ast, dbt.cli.main; print(ast.parse.__module__)');
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.trim()).toBe('rcm_ast_lock');
    // The dbt command is a script of the venv's own Python, which reads the venv's .pth files.
    const shebang = readFileSync(venvBin('dbt'), 'utf8').split('\n', 1)[0] ?? '';
    expect(path.dirname(shebang.replace(/^#!/, ''))).toBe(path.dirname(venvBin('python')));
  });

  it('makes ast.literal_eval (what dbt reads rendered values with) wait while another thread parses', () => {
    // Thread A holds the lock as a parse would; B's literal_eval must not finish until A lets go.
    const code = [
      'import ast, threading, time, rcm_ast_lock',
      'done = threading.Event()',
      'rcm_ast_lock.LOCK.acquire()',
      "b = threading.Thread(target=lambda: (ast.literal_eval('[1, 2]'), done.set()))",
      'b.start()',
      'time.sleep(0.3)',
      "print('blocked' if not done.is_set() else 'ran')",
      'rcm_ast_lock.LOCK.release()',
      'b.join(10)',
      "print('done' if done.is_set() else 'stuck')",
    ].join('\n');
    const run = python(code);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.trim().split('\n')).toEqual(['blocked', 'done']);
  });
});
