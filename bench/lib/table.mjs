/** Renders benchmark rows as one plain-text (markdown-compatible) table. */

const COLUMNS = [
  ['what', 'what'],
  ['codexd', 'codexd'],
  ['baseline', 'baseline'],
  ['ratio', 'ratio'],
  ['goal', 'goal'],
  ['met', 'met?'],
]

/**
 * A row: {what, codexd, baseline, ratio, goal, met} where the values are already formatted
 * strings (met: true, false, or undefined for an informational row).
 */
export function renderTable(rows) {
  const cells = rows.map((row) => COLUMNS.map(([key]) => cellText(row, key)))
  const header = COLUMNS.map(([, title]) => title)
  const widths = header.map((title, i) => Math.max(title.length, ...cells.map((line) => line[i].length)))
  const line = (values) => `| ${values.map((value, i) => value.padEnd(widths[i])).join(' | ')} |`
  return [line(header), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...cells.map(line)].join('\n')
}

function cellText(row, key) {
  if (key === 'met') return row.met === undefined ? 'info' : row.met ? 'yes' : 'NO'
  if (key === 'ratio') return Number.isFinite(row.ratio) ? `${row.ratio.toFixed(2)}x` : '-'
  return String(row[key] ?? '-')
}
