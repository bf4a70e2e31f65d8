import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // user-files: fails the run if any test wrote into warehouse/ or reports/build/ (the demo's files);
    // pm-current: the PM snapshot rules compiled once by dbt for the tests that read raw rows as staging keeps them.
    globalSetup: ['test/setup/user-files.ts', 'test/setup/pm-current.ts'],
    // DuckDB files, dbt and Evidence builds are real: give them room, but never time a test for speed.
    testTimeout: 120_000,
    hookTimeout: 600_000,
    pool: 'forks',
    // Two test files at a time: vitest's default (one fewer than the cores) runs one at a time on a 2-core
    // machine, while most of a file's time is spent waiting on a child process (dbt, Evidence, Chromium).
    maxWorkers: 2,
  },
});
