/** The workflow store in memory, the reference, held to the contract it defines. */
import { MemoryWorkflowStore } from '../../../src/store/memory/workflow-store.js';
import { describeWorkflowStoreContract } from './contract.js';
import { testClock } from './movable-clock.js';

describeWorkflowStoreContract('MemoryWorkflowStore', async () => {
  const clock = testClock();
  const store = new MemoryWorkflowStore({ clock: clock.now });
  return { store, clock, close: () => store.close() };
});
