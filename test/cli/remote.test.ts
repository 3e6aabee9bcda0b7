import { describe, expect, it, vi } from 'vitest';
import { remoteClient } from '../../src/cli/remote.js';

const TOKEN = 'a-token-of-at-least-16-characters';

describe('--api URL', () => {
  it('is nothing without --api', () => {
    expect(remoteClient({}, {})).toBeUndefined();
  });

  it.each([
    'http://127.0.0.1:9615',
    'http://127.0.0.2:9615',
    'http://localhost:9615',
    'http://[::1]:9615',
  ])('reaches %s without a warning', (api) => {
    const warn = vi.fn();
    expect(remoteClient({ api, token: TOKEN }, {}, warn)).toBeDefined();
    expect(warn).not.toHaveBeenCalled();
  });

  it('warns that plain http to another machine is clear text, never printing the token', () => {
    const warn = vi.fn();
    remoteClient({ api: 'http://10.0.0.5:9615' }, { OVERSEER_TOKEN: TOKEN }, warn);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/unencrypted/));
    expect(String(warn.mock.calls[0])).not.toContain(TOKEN);
  });

  it('reaches a TLS proxy in front of the daemon with https://, without the clear-text warning', () => {
    const warn = vi.fn();
    expect(
      remoteClient({ api: 'https://overseer.example.com', token: TOKEN }, {}, warn),
    ).toBeDefined();
    expect(warn).not.toHaveBeenCalled();
  });

  it('refuses a URL with a path or credentials', () => {
    expect(() => remoteClient({ api: 'http://u:p@10.0.0.5:9615/x', token: TOKEN }, {})).toThrow(
      /expected only a scheme, host and port/,
    );
  });

  // Regression: the refusal quoted the URL whole, printing a token given as its password.
  it('refuses credentials in the URL without printing them', () => {
    const secret = 'a-secret-put-where-a-password-goes';
    expect(() =>
      remoteClient({ api: `http://:${secret}@10.0.0.5:9615`, token: TOKEN }, {}),
    ).toThrow(
      expect.objectContaining({
        code: 'BAD_REQUEST',
        message: expect.not.stringContaining(secret),
      }),
    );
  });

  it('regression: a token put in the query of the URL was printed with the refusal', () => {
    const secret = 'a-secret-put-in-the-query';
    expect(() =>
      remoteClient({ api: `http://10.0.0.5:9615/?token=${secret}`, token: TOKEN }, {}),
    ).toThrow(
      expect.objectContaining({
        code: 'BAD_REQUEST',
        message:
          '--api: expected only a scheme, host and port; http://10.0.0.5:9615 comes with a query too',
      }),
    );
    expect(() => remoteClient({ api: `ftp://u:${secret}@host`, token: TOKEN }, {})).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining(secret) }),
    );
  });

  it('refuses a fragment, which would otherwise be dropped unseen', () => {
    expect(() => remoteClient({ api: 'http://10.0.0.5:9615/#x', token: TOKEN }, {})).toThrow(
      /expected only a scheme, host and port/,
    );
  });
});
