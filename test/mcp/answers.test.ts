/** Answers of the server: failures as tool errors that say what to do, and no secret in any. */
import { describe, expect, it } from 'vitest';
import { OverseerError } from '../../src/core/errors.js';
import { type Answering, answer } from '../../src/mcp/answers.js';

const answering: Answering = {
  noDaemonHint: 'start one with overseer up -d',
  secrets: ['token-0123456789abcdef'],
  knownNames: async () => ['api', 'worker-0', 'worker-1'],
};

describe('an answer', () => {
  it('names the known processes after an unknown one', async () => {
    const result = await answer(answering, async () => {
      throw new OverseerError('UNKNOWN_PROCESS', 'no process named nope');
    });
    expect(result).toEqual({
      isError: true,
      content: [
        {
          type: 'text',
          text: 'UNKNOWN_PROCESS: no process named nope. Known processes: api, worker-0, worker-1.',
        },
      ],
    });
  });

  it('says how to start a daemon when none answers', async () => {
    const result = await answer(answering, async () => {
      throw new OverseerError(
        'UNAVAILABLE',
        'no supervisor is running at /p/.overseer/overseer.sock',
      );
    });
    expect(result.isError).toBe(true);
    expect(result.content[0]).toMatchObject({
      text: expect.stringMatching(/overseer\.sock\. start one with overseer up -d$/),
    });
  });

  it('never carries a secret, in an answer or in a failure', async () => {
    const told = await answer(answering, async () => 'Bearer token-0123456789abcdef');
    const failed = await answer(answering, async () => {
      throw new Error('refused token-0123456789abcdef');
    });
    expect(JSON.stringify([told, failed])).not.toContain('token-0123456789abcdef');
    expect(told.content[0]).toMatchObject({ text: 'Bearer [redacted]' });
  });
});
