export const configFuzz = { name: 'config-fuzz', reap: 'live', budgetMs: { quick: 1, full: 1 }, params: { quick: {}, full: {} }, async run() {} };
