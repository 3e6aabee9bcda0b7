// The demo's job: runs three steps and exits 0.
for (const step of ['create tables', 'add indexes', 'seed data']) {
  console.log(`migration: ${step}`);
  await new Promise((resolve) => setTimeout(resolve, 150));
}
console.log('migrations complete');
