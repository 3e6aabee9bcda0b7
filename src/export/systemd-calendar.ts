/**
 * A cron expression as a systemd calendar event (`OnCalendar=`), where the two say the same
 * thing: `*\/15 * * * * *` is `*-*-* *:*:00/15`, `0 30 2 * * MON-FRI` is
 * `Mon..Fri *-*-* 02:30:00`. What has no exact equal (`L`, `W`, `#`, a step over a range, a
 * day of month and of week both set, which cron ORs and systemd ANDs) is refused with why.
 */

export type CalendarResult = { readonly calendar: string } | { readonly refused: string };

const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

/** The calendar event of `cron` (5 fields, or 6 with seconds first), in `timezone` if given. */
export function cronToCalendar(cron: string, timezone?: string): CalendarResult {
  const fields = cron.trim().split(/\s+/);
  const [second, minute, hour, day, month, weekday] =
    fields.length === 5 ? ['0', ...fields] : fields;
  if (fields.length !== 5 && fields.length !== 6) return { refused: 'expected 5 or 6 fields' };
  if (!isAny(day!) && !isAny(weekday!)) {
    return {
      refused: 'day of month and day of week are both set: cron runs on either, systemd on both',
    };
  }
  // The lowest value of each field: where `*/N` starts counting.
  const parts: Array<[string, string, number]> = [
    [second!, 'seconds', 0],
    [minute!, 'minutes', 0],
    [hour!, 'hours', 0],
    [day!, 'day of month', 1],
    [monthNumbers(month!), 'month', 1],
  ];
  const converted: string[] = [];
  for (const [field, what, lowest] of parts) {
    const result = timeField(field, lowest);
    if (result === undefined) return { refused: `${what} ${field} has no systemd equal` };
    converted.push(result);
  }
  const [sec, min, hr, dom, mon] = converted;
  const days = isAny(weekday!) ? undefined : weekdays(weekday!);
  if (days === null) return { refused: `day of week ${weekday} has no systemd equal` };
  const calendar = `${days ? `${days} ` : ''}*-${mon}-${dom} ${hr}:${min}:${sec}`;
  return { calendar: timezone ? `${calendar} ${timezone}` : calendar };
}

function isAny(field: string): boolean {
  return field === '*' || field === '?';
}

/** One field of numbers: `*`, `5`, `1,3`, `1-5`, `*\/15`, `5/15`; undefined when not exact. */
function timeField(field: string, lowest: number): string | undefined {
  if (field === '*' || field === '?') return '*';
  const items = field.split(',').map((item) => {
    const step = /^(\*|\d+)\/(\d+)$/.exec(item);
    if (step) return `${pad(step[1] === '*' ? String(lowest) : step[1]!)}/${Number(step[2])}`;
    const range = /^(\d+)-(\d+)$/.exec(item);
    if (range) return `${pad(range[1]!)}..${pad(range[2]!)}`;
    if (/^\d+$/.test(item)) return pad(item);
    return undefined;
  });
  return items.every((item) => item !== undefined) ? items.join(',') : undefined;
}

function pad(number: string): string {
  return String(Number(number)).padStart(2, '0');
}

/** Month names as numbers (`JAN` → 1): systemd's dates are numeric. */
function monthNumbers(field: string): string {
  return field.replace(/[A-Za-z]{3}/g, (name) => {
    const index = MONTHS.indexOf(name.toUpperCase());
    return index < 0 ? name : String(index + 1);
  });
}

/** `MON-FRI`, `1,3`, `0` (or 7) as systemd's `Mon..Fri`, `Mon,Wed`, `Sun`; null when not exact. */
function weekdays(field: string): string | null {
  const day = (text: string): string | undefined => {
    if (/^\d$/.test(text)) return DAY_NAMES[Number(text) % 7];
    const index = DAY_NAMES.findIndex((name) => name.toUpperCase() === text.toUpperCase());
    return index < 0 ? undefined : DAY_NAMES[index];
  };
  const items = field.split(',').map((item) => {
    const range = /^(\w+)-(\w+)$/.exec(item);
    if (range) {
      const [from, to] = [day(range[1]!), day(range[2]!)];
      // systemd's ranges run Monday to Sunday: one that wraps (FRI-MON) is not the same.
      if (!from || !to || dayIndex(from) > dayIndex(to)) return undefined;
      return `${from}..${to}`;
    }
    return day(item);
  });
  return items.every((item) => item !== undefined) ? items.join(',') : null;
}

/** Monday first, as systemd orders a week. */
function dayIndex(name: string): number {
  return (DAY_NAMES.indexOf(name) + 6) % 7;
}
