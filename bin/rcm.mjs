#!/usr/bin/env node
// Entry point of the `rcm` command: runs the TypeScript CLI through tsx, so there is no separate build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../etl/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
