import {tail} from '../cli.js'
import {codexdStart, requireOneSupervisorOneChild, requireRunning} from '../checks.js'
import {ScenarioFailure, type Scenario} from '../types.js'

/** N concurrent `codexd start` on a stopped home: all succeed, one supervisor, one app-server. */
export const startStorm: Scenario = {
  id: 'start-storm',
  name: 'concurrent start storm',
  needs: 'stopped',
  async run(context) {
    const starts = await Promise.all(Array.from({length: context.stormSize}, () => codexdStart(context)))
    const failed = starts.filter((s) => s.code !== 0)
    if (failed.length > 0) throw new ScenarioFailure(`${failed.length} of ${starts.length} concurrent codexd start failed (exit ${[...new Set(failed.map((s) => s.code))].join(', ')})`, tail(failed[0].stderr || failed[0].stdout))
    const report = await requireRunning(context, 'after the storm')
    return `${starts.length} starts exited 0; ${requireOneSupervisorOneChild(context, report.supervisor.pid)}`
  },
}
