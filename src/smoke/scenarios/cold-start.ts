import {tail} from '../cli.js'
import {requireRunning} from '../checks.js'
import {ScenarioFailure, type Scenario} from '../types.js'

/** `codexd start` with nothing running: returns once the app-server answered initialize. */
export const coldStart: Scenario = {
  id: 'cold-start',
  name: 'cold start',
  needs: 'stopped',
  async run(context) {
    const start = await context.codexd(['start', '--timeout', String(context.timeoutMs)], {timeoutMs: context.timeoutMs + 10_000})
    if (start.code !== 0) throw new ScenarioFailure(`codexd start exited ${start.timedOut ? 'never (killed after the timeout)' : start.code}`, tail(start.stderr || start.stdout))
    const report = await requireRunning(context, 'after codexd start')
    return `supervisor pid ${report.supervisor.pid}; ${report.child.describe} pid ${report.child.pid}`
  },
}
