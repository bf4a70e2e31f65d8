import type { TestProject } from 'vitest/node';
import { compilePmCurrentSql, pmCurrentCalls } from '../helpers/pm-current.ts';

/** vitest global setup: compiles the PM snapshot rules once for every test that reads them (pmCurrentSql). */
export default function setup(project: TestProject): void {
  project.provide('pmCurrentSql', compilePmCurrentSql([...pmCurrentCalls().keys()]));
}
