import {requireRunning, requireStart} from '../checks.js'
import type {Scenario} from '../types.js'

/** `codexd start` with nothing running: returns once the app-server answered initialize. */
export const coldStart: Scenario = {
  id: 'cold-start',
  name: 'cold start',
  needs: 'stopped',
  async run(context) {
    await requireStart(context, 'codexd start')
    const report = await requireRunning(context, 'after codexd start')
    return `supervisor pid ${report.supervisor.pid}; ${report.child.describe} pid ${report.child.pid}`
  },
}
