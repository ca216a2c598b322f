import {probeSocket} from '../../../ground/startup/socket-probe.js'
import {isAlive} from '../../../ground/proc/processes.js'
import {killHard, pathExists, requireOneSupervisorOneChild, requireRunning, requireStart, waitUntil} from '../checks.js'
import {initializeThroughProxy} from '../proxy-round-trip.js'
import {ScenarioFailure, type Scenario} from '../types.js'

/** kill -9 of supervisor and app-server leaves a stale socket; `codexd start` recovers and serves. */
export const staleSocket: Scenario = {
  id: 'stale-socket',
  name: 'stale socket after kill -9 of everything is recovered',
  needs: 'running',
  async run(context) {
    const before = await requireRunning(context, 'before the kill')
    // The supervisor first, so it cannot restart the app-server in between.
    killHard(before.supervisor.pid)
    killHard(before.child.pid)
    const socket = context.paths.appServerSocket
    // The kernel may release a killed process's listening socket a moment after the process is
    // gone: wait for both. A listener that keeps answering fails the scenario at the timeout.
    const probe = await waitUntil(context, `the killed processes to be gone and nothing to answer at ${socket}`, async () => {
      if (isAlive(before.supervisor.pid) || isAlive(before.child.pid)) return undefined
      const found = await probeSocket(socket)
      return found.kind === 'live' ? undefined : found
    })
    if (!pathExists(socket)) throw new ScenarioFailure(`no stale socket at ${socket} after kill -9: nothing to recover from`)
    await requireStart(context, 'codexd start over the stale socket')
    const after = await requireRunning(context, 'after codexd start')
    const trip = await initializeThroughProxy(context.env, context.timeoutMs, context.signal)
    return `stale socket (${probe.kind}) replaced; supervisor ${after.supervisor.pid}, app-server ${after.child.pid} serve ("${trip.userAgent}"); ${requireOneSupervisorOneChild(context, after.supervisor.pid)}`
  },
}
