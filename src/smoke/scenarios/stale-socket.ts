import {probeSocket} from '../../startup/socket-probe.js'
import {isAlive} from '../../proc/processes.js'
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
    await waitUntil(context, 'the killed processes to be gone', () => (isAlive(before.supervisor.pid) || isAlive(before.child.pid) ? undefined : true))
    const socket = context.paths.appServerSocket
    if (!pathExists(socket)) throw new ScenarioFailure(`no stale socket at ${socket} after kill -9: nothing to recover from`)
    const probe = await probeSocket(socket)
    if (probe.kind === 'live') throw new ScenarioFailure(`something still answers at ${socket} after kill -9 of supervisor and app-server`)
    await requireStart(context, 'codexd start over the stale socket')
    const after = await requireRunning(context, 'after codexd start')
    const trip = await initializeThroughProxy(context.env, context.timeoutMs, context.signal)
    return `stale socket (${probe.kind}) replaced; supervisor ${after.supervisor.pid}, app-server ${after.child.pid} serve ("${trip.userAgent}"); ${requireOneSupervisorOneChild(context, after.supervisor.pid)}`
  },
}
