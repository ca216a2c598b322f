import type {SmokeReport} from './types.js'

/** Text escaped for XML attributes and elements (and control characters JUnit readers reject dropped). */
export function xmlEscape(value: string): string {
  return value
    // eslint-disable-next-line no-control-regex
    .replace(/[\x00-\x08\x0B\x0C\x0E-\x1F]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
}

const seconds = (ms: number) => (ms / 1000).toFixed(3)

/**
 * The report as JUnit XML (the dialect GitHub Actions reporters, Jenkins and GitLab read): one
 * <testsuite> with a <testcase> per scenario; <failure> or <skipped> with the verdict as message
 * and the details as text.
 */
export function renderJunit(report: SmokeReport): string {
  const failures = report.scenarios.filter((s) => s.status === 'failed').length
  const skipped = report.scenarios.filter((s) => s.status === 'skipped').length
  const suite = `codexd smoke (server ${report.server})`
  const cases = report.scenarios.map((s) => {
    const open = `    <testcase classname="codexd.smoke" name="${xmlEscape(s.name)}" time="${seconds(s.durationMs)}"`
    if (s.status === 'passed') return `${open}>\n      <system-out>${xmlEscape(s.message)}</system-out>\n    </testcase>`
    if (s.status === 'skipped') return `${open}>\n      <skipped message="${xmlEscape(s.message)}"/>\n    </testcase>`
    return `${open}>\n      <failure message="${xmlEscape(s.message)}" type="${s.message.startsWith('interrupted') ? 'interrupted' : 'failure'}">${xmlEscape(s.details ?? s.message)}</failure>\n    </testcase>`
  })
  return `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="codexd smoke" tests="${report.scenarios.length}" failures="${failures}" skipped="${skipped}" time="${seconds(report.durationMs)}">
  <testsuite name="${xmlEscape(suite)}" tests="${report.scenarios.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${seconds(report.durationMs)}" timestamp="${report.startedAt}">
    <properties>
      <property name="server" value="${xmlEscape(report.server)}"/>
      <property name="home" value="${xmlEscape(report.home)}"/>
      <property name="interrupted" value="${report.interrupted}"/>
    </properties>
${cases.join('\n')}
  </testsuite>
</testsuites>
`
}
