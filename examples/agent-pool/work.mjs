// One task of the pool: what it does is its first argument.
//   ok <ms>          computes for <ms>, prints what it found, exits 0
//   crash <code>     works a little, then exits <code>
//   hog              grows its memory by 16 MB every 20 ms until something stops it
//   slow             waits far longer than its timeout allows
//   flaky <marker>   fails with 75 (temporary) while <marker> does not exist, creating it;
//                    succeeds once it does: the first try fails, the retry succeeds
import { createHash } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';

const [kind, argument] = process.argv.slice(2);

function compute(ms) {
  const until = Date.now() + ms;
  let digest = 'seed';
  while (Date.now() < until) digest = createHash('sha256').update(digest).digest('hex');
  return digest.slice(0, 12);
}

switch (kind) {
  case 'ok':
    console.log(`found ${compute(Number(argument))}`);
    break;
  case 'crash':
    compute(100);
    console.error(`cannot go on: exiting ${argument}`);
    process.exit(Number(argument));
    break;
  case 'hog': {
    const held = [];
    setInterval(() => held.push(Buffer.alloc(16 * 2 ** 20, 1)), 20);
    break;
  }
  case 'slow':
    setTimeout(() => console.log('finally done'), 60_000);
    break;
  case 'flaky':
    if (!existsSync(argument)) {
      writeFileSync(argument, 'tried once\n');
      console.error('upstream not ready: try again');
      process.exit(75);
    }
    console.log('upstream ready: done');
    break;
  default:
    console.error(`unknown kind of work: ${kind}`);
    process.exit(2);
}
