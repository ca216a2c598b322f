import {initializeThroughProxy} from '../proxy-round-trip.js'
import {killHard, requireRunning, runningStatus, waitUntil} from '../checks.js'
import {ScenarioFailure, type Scenario} from '../types.js'

/** kill -9 of the app-server (its process group): the supervisor starts a new one that serves. */
export const childKill: Scenario = {
  id: 'child-kill',
  name: 'kill -9 of the app-server is recovered',
  needs: 'running',
  async run(context) {
    const before = await requireRunning(context, 'before the kill')
    killHard(before.child.pid)
    const after = await waitUntil(context, 'a new app-server to serve', () => runningStatus(context, (r) => r.child?.pid !== before.child.pid))
    if (after.supervisor!.pid !== before.supervisor.pid) throw new ScenarioFailure(`the supervisor changed from pid ${before.supervisor.pid} to ${after.supervisor!.pid}`)
    const trip = await initializeThroughProxy(context.env, context.timeoutMs, context.signal)
    return `app-server ${before.child.pid} killed; ${after.child!.pid} serves ("${trip.userAgent}")`
  },
}
