// The demo's flaky process: fails at start every time, so it crash-loops into `failed`.
console.error('cannot connect to payment gateway');
setTimeout(() => process.exit(1), 100);
