/** The in-memory twin, held to the contract of every store it implements. */
import { describe } from 'vitest';
import { openMemoryStore } from '../../../src/store/memory/project-store.js';
import { projectStoreContract } from '../project-store.contract.js';

describe('openMemoryStore', () => {
  projectStoreContract(openMemoryStore);
});
