import type {ScenarioResult, SmokeReport} from './types.js'

const MARK = {passed: 'ok  ', failed: 'FAIL', skipped: 'skip'} as const

/** One progress line for a finished scenario: `[2/7] ok   concurrent start storm  (1432 ms)  detail`. */
export function resultLine(result: ScenarioResult, index: number, total: number): string {
  const time = result.status === 'skipped' ? '' : `  (${result.durationMs} ms)`
  return `[${index + 1}/${total}] ${MARK[result.status]} ${result.name}${time}  ${result.message}\n`
}

/** The summary after the last scenario, with the details of each failure. */
export function summary(report: SmokeReport): string {
  const count = (status: ScenarioResult['status']) => report.scenarios.filter((s) => s.status === status).length
  const failures = report.scenarios.filter((s) => s.status === 'failed' && s.details).map((s) => `\n--- ${s.name}: ${s.message}\n${s.details}\n`)
  const verdict = report.interrupted ? 'INTERRUPTED' : report.ok ? 'PASSED' : 'FAILED'
  return `${failures.join('')}\ncodexd smoke ${verdict}: ${count('passed')} passed, ${count('failed')} failed, ${count('skipped')} skipped in ${(report.durationMs / 1000).toFixed(1)} s (server ${report.server})\ncleanup: ${report.cleanup}\n`
}
