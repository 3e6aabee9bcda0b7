/**
 * The Prometheus text format (0.0.4), written straight: a scrape of hundreds of processes
 * is thousands of series, and building a prom-client registry for them at each scrape cost
 * several times what writing the lines does.
 */

export type MetricType = 'counter' | 'gauge' | 'histogram';

/** One metric family: its HELP and TYPE lines, then each sample as it is added. */
export class Family {
  private readonly lines: string[];

  constructor(
    readonly name: string,
    help: string,
    type: MetricType,
  ) {
    this.lines = [`# HELP ${name} ${escapeHelp(help)}`, `# TYPE ${name} ${type}`];
  }

  /** A sample of this family; `suffix` for a histogram's `_bucket`, `_sum` and `_count`. */
  add(labels: Readonly<Record<string, string>>, value: number, suffix = ''): this {
    return this.sample(labelPairs(labels), value, suffix);
  }

  /**
   * A sample whose label pairs are already written (`labelPairs`): a process's name and
   * namespace are escaped once for all its series.
   */
  sample(pairs: string, value: number, suffix = ''): this {
    this.lines.push(`${this.name}${suffix}${pairs === '' ? '' : `{${pairs}}`} ${format(value)}`);
    return this;
  }

  /** The family's lines, each ending with a newline. */
  text(): string {
    return `${this.lines.join('\n')}\n`;
  }
}

/** Label pairs, values escaped as the text format asks (`\\`, `\n`, `"`). */
export function labelPairs(pairs: Readonly<Record<string, string>>): string {
  let text = '';
  for (const key in pairs) {
    const value = pairs[key]!;
    const escaped = /[\\\n"]/.test(value)
      ? value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')
      : value;
    text += `${text === '' ? '' : ','}${key}="${escaped}"`;
  }
  return text;
}

function escapeHelp(help: string): string {
  return help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function format(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}
