import {realpathSync} from 'node:fs'
import {tail} from '../cli.js'
import {CENSUS_AVAILABLE, processesForHome} from '../census.js'
import {listenerCount} from '../../../ground/proc/unix-listeners.js'
import {isAlive} from '../../../ground/proc/processes.js'
import {pathExists, requireRunning} from '../checks.js'
import {ScenarioFailure, type Scenario} from '../types.js'

/** `codexd stop` leaves no process for the home, no app-server socket (nor its link target) and no supervisor socket. */
export const stopClean: Scenario = {
  id: 'stop-clean',
  name: 'stop leaves no process and no socket',
  needs: 'running',
  async run(context) {
    const before = await requireRunning(context, 'before stop')
    const {appServerSocket, supervisorSocket} = context.paths
    let target: string | undefined
    try {
      target = realpathSync(appServerSocket)
    } catch {
      target = undefined
    }
    const stop = await context.codexd(['stop'], {timeoutMs: context.timeoutMs + 10_000})
    if (stop.code !== 0) throw new ScenarioFailure(`codexd stop exited ${stop.code}`, tail(stop.stderr || stop.stdout))
    const left = CENSUS_AVAILABLE ? processesForHome(context.paths.home) : [before.supervisor.pid, before.child.pid].filter(isAlive).map((pid) => ({pid, ppid: 0, argv: []}))
    if (left.length > 0) throw new ScenarioFailure(`after codexd stop, ${left.length} process(es) still run for this home: ${left.map((p) => p.pid).join(', ')}`, left.map((p) => `${p.pid}: ${p.argv.join(' ')}`).join('\n'))
    const files = [appServerSocket, supervisorSocket, ...(target && target !== appServerSocket ? [target] : [])].filter(pathExists)
    if (files.length > 0) throw new ScenarioFailure(`after codexd stop, still there: ${files.join(', ')}`)
    if (CENSUS_AVAILABLE && listenerCount(appServerSocket) !== 0) throw new ScenarioFailure(`after codexd stop, a listener is still bound at ${appServerSocket}`)
    return `${tail(stop.stdout, 1)}`
  },
}
