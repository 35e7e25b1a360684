// The run's figures: the JSON written to bench/results/, and the table printed at the end, each
// figure beside its ceiling from the same run and the target of DESIGN §9.
export type Target = { figure: string; target: string; value: number; unit: string; met: boolean; note?: string };

export function atLeast(figure: string, value: number, target: number, unit: string, note?: string): Target {
  return { figure, target: `≥ ${target.toLocaleString('en')} ${unit}`, value, unit, met: value >= target, ...(note ? { note } : {}) };
}

export function atMost(figure: string, value: number, target: number, unit: string, note?: string): Target {
  return { figure, target: `≤ ${target.toLocaleString('en')} ${unit}`, value, unit, met: value <= target, ...(note ? { note } : {}) };
}

export type Row = { figure: string; value: string; ceiling?: string; ratio?: string; target?: string; met?: boolean };

const number = (value: number) => (Number.isFinite(value) ? value.toLocaleString('en', { maximumFractionDigits: 2 }) : '—');

export function perSec(value: number): string {
  return `${number(value)} /s`;
}

export function ms(value: number): string {
  return `${number(value)} ms`;
}

export function ratio(value: number, ceiling: number): string {
  return ceiling > 0 ? `${((value / ceiling) * 100).toFixed(1)} %` : '—';
}

export function table(rows: Row[]): string {
  const header = ['figure', 'value', 'ceiling (same run)', 'of ceiling', 'target', 'met'];
  const cells = rows.map((row) => [row.figure, row.value, row.ceiling ?? '', row.ratio ?? '', row.target ?? '',
    row.met === undefined ? '' : row.met ? 'yes' : 'NO']);
  const widths = header.map((title, column) => Math.max(title.length, ...cells.map((line) => line[column]!.length)));
  const line = (values: string[]) => `| ${values.map((value, column) => value.padEnd(widths[column]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`, ...cells.map(line)].join('\n');
}
