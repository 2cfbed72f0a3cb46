import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { type StackInfo, startLocalStack } from '../../local/stack';
import { TEST_STACK_ENV } from './test-stack-env';

declare module 'vitest' {
  export interface ProvidedContext {
    stack: StackInfo;
    /** Directory where test processes claim chunks of phone numbers (test/support/test-numbers.ts). */
    numberClaims: string;
  }
}

/**
 * Starts the whole local stack once for the integration tests (free ports, fresh in-memory state per
 * run) and hands its coordinates to the tests through `inject('stack')`.
 */
export default async function setup(project: TestProject) {
  // The handlers run in this process (local/stack.ts) and read their environment when first loaded.
  Object.assign(process.env, TEST_STACK_ENV);
  const stack = await startLocalStack({
    port: 0,
    carrier: { ratePerSecond: 200, dlrMinDelayMs: 20, dlrMaxDelayMs: 200 },
    waitTimeScale: 0.1,
    log: (line) => process.stderr.write(`[stack] ${line}\n`),
  });
  project.provide('stack', stack.info);
  const numberClaims = await mkdtemp(join(tmpdir(), 'test-numbers-'));
  project.provide('numberClaims', numberClaims);
  return async () => {
    await stack.stop();
    await rm(numberClaims, { recursive: true, force: true });
  };
}
