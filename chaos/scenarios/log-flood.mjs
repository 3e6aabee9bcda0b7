export const logFlood = { name: 'log-flood', reap: 'live', budgetMs: { quick: 1, full: 1 }, params: { quick: {}, full: {} }, async run() {} };
