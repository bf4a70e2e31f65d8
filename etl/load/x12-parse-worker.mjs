// Entry of the X12 parsing worker: registers tsx in the worker's own thread (the loading thread's registration does
// not reach it), then runs the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./x12-parse-worker.ts');
