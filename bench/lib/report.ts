/** One line of the results table: Wanmi's figure, the peer's, and the target on their ratio. */
export interface Row {
  metric: string;
  wanmi: string;
  peer: string;
  /** Wanmi ÷ peer, when there is a peer. */
  ratio?: number;
  target?: string;
  /** Whether the target is met; undefined when there is none. */
  met?: boolean;
}

export function printTable(rows: readonly Row[]): void {
  const cells = rows.map((r) => [
    r.metric, r.wanmi, r.peer, r.ratio === undefined ? '—' : `${r.ratio.toFixed(2)}×`, r.target ?? '—',
    r.met === undefined ? '—' : r.met ? 'yes' : 'NO',
  ]);
  const head = ['metric', 'Wanmi', 'peer', 'ratio', 'target', 'met?'];
  const widths = head.map((h, c) => Math.max(width(h), ...cells.map((row) => width(row[c]))));
  const line = (row: string[]) => `| ${row.map((cell, c) => cell + ' '.repeat(widths[c] - width(cell))).join(' | ')} |`;
  console.log(line(head));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of cells) console.log(line(row));
}

/** Operations per second, rounded to three significant figures: "1.13 M/s", "85.2 k/s". */
export function rate(x: number, unit = '/s'): string {
  if (x >= 1e6) return `${(x / 1e6).toPrecision(3)} M${unit}`;
  if (x >= 1e3) return `${(x / 1e3).toPrecision(3)} k${unit}`;
  return `${x.toPrecision(3)}${unit}`;
}

export function ms(x: number): string {
  return x >= 1000 ? `${(x / 1000).toFixed(1)} s` : `${Math.round(x)} ms`;
}

/** Display width, counting CJK characters as two columns. */
function width(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u2E80-\u9FFF\uFF00-\uFFEF]/.test(ch) ? 2 : 1;
  return w;
}
