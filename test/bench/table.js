// Formats benchmark rows as an aligned text table for the terminal and as a markdown table for the README.

const HEADERS = ['benchmark', 'baton (median)', 'floor', 'floor (median)', 'ratio', 'peak RSS', 'goal', 'met'];

export const fmtMs = (ms) => (Number.isFinite(ms) ? (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`) : 'n/a');
export const fmtMb = (kb) => (kb > 0 ? `${(kb / 1024).toFixed(0)} MB` : '');
export const fmtBytes = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** A row's cells; `value` (a preformatted result) replaces the baton median for rows that are not timings. */
function cells(row) {
  const met = row.met === null || row.met === undefined ? '' : row.met ? 'yes' : 'NO';
  return [
    row.name,
    row.value ?? fmtMs(row.batonMs),
    row.floorName ?? '',
    row.floorMs === undefined ? '' : fmtMs(row.floorMs),
    row.floorMs === undefined || !Number.isFinite(row.batonMs) ? '' : `${(row.batonMs / row.floorMs).toFixed(2)}×`,
    fmtMb(row.rssKb ?? 0),
    row.goal ?? '',
    met,
  ];
}

export function textTable(rows) {
  const table = [HEADERS, ...rows.map(cells)];
  const widths = HEADERS.map((_, i) => Math.max(...table.map((r) => [...r[i]].length)));
  const line = (r) => r.map((c, i) => c + ' '.repeat(widths[i] - [...c].length)).join('  ').trimEnd();
  return [line(table[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...table.slice(1).map(line)].join('\n');
}

export function markdownTable(rows) {
  const escape = (c) => c.replace(/\|/g, '\\|');
  const line = (r) => `| ${r.map(escape).join(' | ')} |`;
  return [line(HEADERS), `|${HEADERS.map(() => '---').join('|')}|`, ...rows.map((row) => line(cells(row)))].join('\n');
}
