export const restartSoak = { name: 'restart-soak', reap: 'live', budgetMs: { quick: 1, full: 1 }, params: { quick: {}, full: {} }, async run() {} };
