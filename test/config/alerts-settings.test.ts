/**
 * `settings.alerts` as a project carries it: defaults applied, `on` read as a list, and
 * every bad value refused at its path.
 */
import { describe, expect, it } from 'vitest';
import { projectFromRaw } from '../../src/config/load.js';

const load = (settings: object) =>
  projectFromRaw('/srv/app/overseer.yaml', {
    value: { version: 1, settings, processes: { api: { command: 'x' } } },
    locate: (issues) => issues.map((issue) => ({ ...issue, line: undefined, column: undefined })),
  });

describe('settings.alerts', () => {
  it('is absent unless set: no alerts', () => {
    expect(load({}).settings.alerts).toBeUndefined();
  });

  it('applies the defaults: every kind, a 5m cooldown, a 10s timeout, 3 retries', () => {
    expect(load({ alerts: { webhook: 'http://127.0.0.1:9000/hook' } }).settings.alerts).toEqual({
      command: undefined,
      webhook: 'http://127.0.0.1:9000/hook',
      headers: {},
      cooldownMs: 300_000,
      on: ['failed', 'limit', 'breaker', 'dead_letter'],
      timeoutMs: 10_000,
      retries: 3,
    });
  });

  it('reads every key, one kind alone as a list of one', () => {
    const alerts = load({
      alerts: {
        command: 'notify.sh',
        webhook: 'https://hooks.example.com/x',
        headers: { authorization: 'Bearer t' },
        cooldown: '1m',
        on: 'failed',
        timeout: '2s',
        retries: 0,
      },
    }).settings.alerts;
    expect(alerts).toEqual({
      command: 'notify.sh',
      webhook: 'https://hooks.example.com/x',
      headers: { authorization: 'Bearer t' },
      cooldownMs: 60_000,
      on: ['failed'],
      timeoutMs: 2_000,
      retries: 0,
    });
  });

  it.each([
    [{ cooldown: '5m' }, /settings\.alerts: expected a command or a webhook \(or both\)/],
    [
      { webhook: 'ftp://x/y' },
      /settings\.alerts\.webhook: expected an http:\/\/ or https:\/\/ URL/,
    ],
    [{ webhook: 'hook' }, /settings\.alerts\.webhook: expected an http:\/\/ or https:\/\/ URL/],
    [{ command: '' }, /settings\.alerts\.command/],
    [
      { command: 'x', on: ['failed', 'crashed'] },
      /settings\.alerts\.on\.1: expected one of failed, limit, breaker, dead_letter/,
    ],
    [{ command: 'x', on: [] }, /settings\.alerts\.on: expected at least one kind/],
    [{ command: 'x', timeout: '0s' }, /settings\.alerts\.timeout/],
    [{ command: 'x', retries: 11 }, /settings\.alerts\.retries: expected a number ≤ 10/],
    [{ webhook: 'http://h/x', headers: { token: 5 } }, /settings\.alerts\.headers\.token/],
    [
      { webhook: 'http://h/x', headers: { authorization: 'Bearer t\n' } },
      /settings\.alerts\.headers\.authorization: the value of authorization holds a line break or NUL/,
    ],
    [
      { webhook: 'http://h/x', headers: { 'x token': 't' } },
      /settings\.alerts\.headers\.x token: "x token" is not a header name/,
    ],
    [
      { command: 'x', headers: { authorization: 'Bearer t' } },
      /settings\.alerts\.headers: headers are sent with a webhook: there is none/,
    ],
    [{ command: 'x', channel: '#ops' }, /settings\.alerts\.channel/],
  ])('refuses %j naming its path', (alerts, message) => {
    expect(() => load({ alerts })).toThrow(message);
  });

  it('regression: refuses a header value with a line break without saying the value', () => {
    expect(() =>
      load({ alerts: { webhook: 'http://h/x', headers: { authorization: 'secret-token\r' } } }),
    ).toThrow(/^(?![\s\S]*secret-token)/);
  });

  it('takes an upper-case scheme, as a URL reads it', () => {
    expect(
      load({ alerts: { webhook: 'HTTPS://hooks.example.com/x' } }).settings.alerts?.webhook,
    ).toBe('HTTPS://hooks.example.com/x');
  });
});
