import { Text } from 'ink';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import type { ProcessInfo } from '../../src/core/view.js';
import { useSampleHistory } from '../../src/tui/use-sample-history.js';
import { processRow } from './fake-api.js';

function Samples({ rows }: { readonly rows: readonly ProcessInfo[] }) {
  const history = useSampleHistory(rows, 2);
  return (
    <Text>
      {history
        .series('web')
        .map((sample) => sample.cpuPercent)
        .join(' ')}
    </Text>
  );
}

describe('useSampleHistory', () => {
  it('adds a sample for each new set of rows, not for a re-render of the same, within its bound', () => {
    const rows = [processRow({ name: 'web', cpuPercent: 1 })];
    const { lastFrame, rerender, unmount } = render(<Samples rows={rows} />);
    expect(lastFrame()).toBe('1');
    rerender(<Samples rows={rows} />);
    expect(lastFrame()).toBe('1');
    rerender(<Samples rows={[processRow({ name: 'web', cpuPercent: 2 })]} />);
    rerender(<Samples rows={[processRow({ name: 'web', cpuPercent: 3 })]} />);
    expect(lastFrame()).toBe('2 3');
    unmount();
  });
});
