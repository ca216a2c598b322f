import type {StatusReport} from '../../ground/protocol/status-report.js'

/**
 * The one word a person wants for a home: `running`, the child's state while the supervisor
 * answers but the child is not serving (`starting`, `backoff`, `crash-loop`, `unmanaged`,
 * `stopping`), `stopped` when no supervisor runs, `unreachable` when it does not answer.
 */
export function displayState(report: Pick<StatusReport, 'state' | 'child'>): string {
  switch (report.state) {
    case 'running':
      return 'running'
    case 'not-serving':
      return report.child?.state ?? 'not-serving'
    case 'not-running':
      return 'stopped'
    case 'unreachable':
      return 'unreachable'
  }
}

/** `5s`, `3m07s`, `2h05m`: an uptime at a glance. */
export function duration(ms: number): string {
  const seconds = Math.floor(ms / 1000)
  if (seconds < 60) return `${seconds}s`
  const minutes = Math.floor(seconds / 60)
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`
  const hours = Math.floor(minutes / 60)
  return `${hours}h${String(minutes % 60).padStart(2, '0')}m`
}
