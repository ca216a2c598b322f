import type {DoctorReport} from './run-doctor.js'

/** The human report: one line per check (status, id, what was found), the fix indented below. */
export function formatDoctorReport(report: DoctorReport): string {
  const width = Math.max(...report.checks.map(({id}) => id.length))
  const lines = [`codexd doctor: CODEX_HOME=${report.home}`]
  for (const check of report.checks) {
    lines.push(`${check.status.padEnd(4)}  ${check.id.padEnd(width)}  ${check.found}`)
    if (check.fix) lines.push(`${' '.repeat(width + 8)}fix: ${check.fix}`)
  }
  const {ok, warn, fail} = report.counts
  lines.push(`${ok} ok, ${warn} warning${warn === 1 ? '' : 's'}, ${fail} failed${fail > 0 ? ': this home has problems (exit 1)' : ''}`)
  return `${lines.join('\n')}\n`
}
