/**
 * The contract of a `WorkflowStore`, for every implementation to run: in memory, a SQLite
 * file and PostgreSQL must answer alike, the memory store being the reference.
 */
import { describe } from 'vitest';
import { claimContract } from './claim-contract.js';
import type { OpenWorkflowStore } from './contract-support.js';
import { deadLettersContract } from './dead-letters-contract.js';
import { fencedWritesContract } from './fenced-writes-contract.js';
import { runsContract } from './runs-contract.js';
import { watchContract } from './watch-contract.js';

export type { MovableClock, OpenedWorkflowStore, OpenWorkflowStore } from './contract-support.js';

/** Runs the `WorkflowStore` contract, under `label`, against the stores `open` gives. */
export function describeWorkflowStoreContract(label: string, open: OpenWorkflowStore): void {
  describe(`${label}: the WorkflowStore contract`, () => {
    runsContract(open);
    claimContract(open);
    fencedWritesContract(open);
    deadLettersContract(open);
    watchContract(open);
  });
}
