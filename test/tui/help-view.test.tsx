import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { HelpView } from '../../src/tui/help-view.js';
import { PLAIN_THEME } from '../../src/tui/theme.js';
import { Keyed } from './keyed.js';
import { until } from './until.js';

const mounted: Array<() => void> = [];
afterEach(() => {
  for (const unmount of mounted.splice(0)) unmount();
});

describe('the help', () => {
  it('fits the screen it is given, and scrolls through every key', async () => {
    const instance = render(
      <Keyed>{(keys) => <HelpView height={8} theme={PLAIN_THEME} keys={keys} />}</Keyed>,
    );
    mounted.push(instance.unmount);
    const lines = () => (instance.lastFrame() ?? '').split('\n');
    await until(() => expect(lines()[0]).toBe('Processes'));
    expect(lines()).toHaveLength(8);
    expect(lines().at(-1)).toMatch(/^↕ 1–7 of \d+$/);
    instance.stdin.write('G');
    await until(() => expect(lines().at(-2)).toMatch(/Esc .* back to the table/));
    instance.stdin.write('g');
    await until(() => expect(lines()[0]).toBe('Processes'));
  });
});
