import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/resilience/logger/app-logger.js';
import { capturedLogger } from './logger-test-kit.js';

const ESC = '\u001b';
const messages = (lines: Record<string, unknown>[]) => lines.map((line) => line.msg);

describe('createLogger', () => {
  it('writes pino JSON lines with the name, the level number and bound fields', () => {
    const { logger, lines } = capturedLogger();
    logger.info('started');
    logger.child({ requestId: 'r1' }).warn({ user: 7 }, 'slow');
    const [started, slow] = lines();
    expect(started).toMatchObject({ level: 30, name: 'app', msg: 'started' });
    expect(typeof started?.time).toBe('number');
    expect(slow).toMatchObject({ level: 40, requestId: 'r1', user: 7, msg: 'slow' });
  });

  it('writes from the level on, info by default, and setLevel changes every logger made', () => {
    const { logger, lines } = capturedLogger();
    const child = logger.child({ a: 1 });
    const db = logger.category('db');
    for (const each of [logger, child, db]) each.debug('hidden');
    logger.info('shown');
    child.setLevel('debug');
    for (const each of [logger, child, db]) each.debug('now shown');
    logger.setLevel('silent');
    logger.fatal('hidden too');
    expect(messages(lines())).toEqual(['shown', 'now shown', 'now shown', 'now shown']);
    expect(logger.level()).toBe('silent');
  });

  it('takes LOG_LEVEL over the level option, in any case', () => {
    const { logger, lines } = capturedLogger({ level: 'warn', env: { LOG_LEVEL: ' Debug ' } });
    logger.debug('shown');
    expect(messages(lines())).toEqual(['shown']);
    expect(logger.level()).toBe('debug');
  });

  it('refuses an unknown LOG_LEVEL, naming it and the levels', () => {
    expect(() => capturedLogger({ env: { LOG_LEVEL: 'verbose' } })).toThrow(
      /LOG_LEVEL: "verbose" is not a level: expected one of trace, debug/,
    );
  });

  it('refuses bad options at construction', () => {
    expect(() => capturedLogger({ name: 'my app' })).toThrow(TypeError);
    expect(() => capturedLogger({ rotation: { size: '1MB', keep: 1 } })).toThrow(/needs a file/);
    expect(() =>
      createLogger({ name: 'app', env: {}, file: '/tmp/x', destination: { write() {} } }),
    ).toThrow(/not both/);
  });

  it('names a category after the logger, once even when nested or made from a child', () => {
    const { logger, lines } = capturedLogger();
    logger.child({ requestId: 'r2' }).category('db').category('pool').info('checked out');
    const [line] = lines();
    expect(line).toMatchObject({ name: 'app', category: 'app:db:pool', requestId: 'r2' });
    expect(JSON.stringify(line).match(/"category"/g)).toHaveLength(1);
    expect(() => logger.category('a*')).toThrow(TypeError);
  });

  it('turns DEBUG categories up to debug and excluded ones down to warn; others follow the level', () => {
    const { logger, lines } = capturedLogger({ env: { DEBUG: 'app:*,-app:noisy' } });
    const [db, noisy] = [logger.category('db'), logger.category('noisy')];
    logger.debug('root debug: hidden');
    db.debug('db debug');
    db.trace('db trace: hidden');
    noisy.info('noisy info: hidden');
    noisy.warn('noisy warn');
    expect(messages(lines())).toEqual(['db debug', 'noisy warn']);
    expect(noisy.isLevelEnabled('info')).toBe(false);
    expect(db.isLevelEnabled('debug')).toBe(true);
  });

  it('takes DEBUG over the categories option, and the option when DEBUG is unset', () => {
    const fromOption = capturedLogger({ categories: 'app:db' });
    fromOption.logger.category('db').debug('db');
    expect(messages(fromOption.lines())).toEqual(['db']);
    const fromEnv = capturedLogger({ categories: 'app:db', env: { DEBUG: 'app:cache' } });
    fromEnv.logger.category('db').debug('db: hidden');
    fromEnv.logger.category('cache').debug('cache');
    expect(messages(fromEnv.lines())).toEqual(['cache']);
  });

  it('enables and disables categories from code, the latest call deciding', () => {
    const { logger, lines } = capturedLogger({ env: { DEBUG: '-app:db' } });
    const db = logger.category('db');
    db.info('hidden');
    logger.enableCategory('app:db');
    db.debug('enabled');
    logger.disableCategory('app:*');
    db.info('hidden again');
    db.error('errors still pass');
    expect(messages(lines())).toEqual(['enabled', 'errors still pass']);
  });

  it('serializes an error with its type, message and stack, as err or error', () => {
    const { logger, lines } = capturedLogger();
    logger.error(new Error('disk full'));
    logger.error({ error: new TypeError('bad') }, 'failed');
    const [first, second] = lines();
    expect(first?.err).toMatchObject({ type: 'Error', message: 'disk full' });
    expect((first?.err as { stack?: string } | undefined)?.stack).toContain('app-logger.test.ts');
    expect(second?.error).toMatchObject({ type: 'TypeError', message: 'bad' });
  });

  it('times work with the clock it is given, writing label, fields and durationMs', () => {
    let now = 1000;
    const { logger, lines } = capturedLogger({ now: () => now });
    const timer = logger.category('db').time('query', { table: 'users' });
    now += 12.3456;
    expect(timer.done({ rows: 3 })).toBe(12.346);
    expect(lines()).toEqual([
      expect.objectContaining({
        level: 30,
        category: 'app:db',
        msg: 'query',
        table: 'users',
        rows: 3,
        durationMs: 12.346,
      }),
    ]);
  });

  it('writes readable, coloured lines to a terminal by default', () => {
    const chunks: string[] = [];
    const logger = createLogger({
      name: 'app',
      env: {},
      destination: { write: (chunk: string) => chunks.push(chunk), isTTY: true },
    });
    logger.category('db').warn({ host: 'db1', note: 'two words' }, 'slow query');
    logger.error(new Error('boom'));
    const [warn, error] = chunks;
    expect(warn?.startsWith(`${ESC}[2m`)).toBe(true);
    expect(warn).toContain(`${ESC}[0m ${ESC}[33mWARN ${ESC}[0m ${ESC}[1mapp:db${ESC}[0m`);
    const plain = (text = '') =>
      text
        .split(ESC)
        .map((part) => part.replace(/^\[\d+m/, ''))
        .join('');
    expect(plain(warn)).toMatch(/ WARN {2}app:db slow query host=db1 note="two words"\n$/);
    expect(plain(error)).toMatch(/ERROR app boom err=boom\n {4}Error: boom\n {4}at /);
  });

  it('writes pretty lines without colour when asked for them off a terminal', () => {
    const chunks: string[] = [];
    const logger = createLogger({
      name: 'app',
      env: {},
      pretty: true,
      destination: { write: (chunk: string) => chunks.push(chunk) },
    });
    logger.info({ n: 1 }, 'hello');
    expect(chunks[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO {2}app hello n=1\n$/);
  });
});
