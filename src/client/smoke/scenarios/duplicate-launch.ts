import {CODEXD_ENTRY} from '../../../ground/product.js'
import {CODEX_BIN_ENV} from '../../../ground/children/child-spec.js'
import {findOnPath} from '../../../ground/children/find-on-path.js'
import {runCommand} from '../../../ground/harness/processes.js'
import {tail} from '../cli.js'
import {requireOneSupervisorOneChild, requireRunning} from '../checks.js'
import {ScenarioFailure, type Scenario, type SmokeContext} from '../types.js'

/** codex's message for a duplicate launch; codexd's built-in prints the same. */
const IN_USE = 'app-server control socket is already in use at'

/** The raw app-server launch of the running child's kind, and what it must end with. */
function rawLaunch(context: SmokeContext, kind: string): {argv: string[]; exit: 'six' | 'nonzero'; message: boolean} {
  if (kind === 'builtin') return {argv: [process.execPath, CODEXD_ENTRY, 'app-server', '--listen', 'unix://'], exit: 'six', message: true}
  if (kind === 'codex') {
    const bin = context.env[CODEX_BIN_ENV] || findOnPath('codex', context.env)
    if (!bin) throw new ScenarioFailure(`the child is codex but no codex is on PATH (or ${CODEX_BIN_ENV}) for a raw launch`)
    return {argv: [bin, 'app-server', '--listen', 'unix://'], exit: 'nonzero', message: true}
  }
  // A custom command: it must refuse to start; its wording is its own.
  return {argv: ['/bin/sh', '-c', `exec ${context.server}`], exit: 'nonzero', message: false}
}

/** A second, unsupervised app-server on the same home fails with the duplicate-launch error and changes nothing. */
export const duplicateLaunch: Scenario = {
  id: 'duplicate-launch',
  name: 'duplicate raw launch',
  needs: 'running',
  async run(context) {
    const before = await requireRunning(context, 'before the duplicate launch')
    const launch = rawLaunch(context, before.child.kind)
    const run = await runCommand(launch.argv[0], launch.argv.slice(1), {env: context.env, timeoutMs: Math.min(context.timeoutMs, 30_000)})
    const shown = launch.argv.slice(launch.argv[0] === process.execPath ? 1 : 0).join(' ')
    if (run.timedOut) throw new ScenarioFailure(`the duplicate launch (${shown}) did not fail: still running after ${Math.min(context.timeoutMs, 30_000)} ms`, tail(run.stderr))
    if (launch.exit === 'six' ? run.code !== 6 : run.code === 0) throw new ScenarioFailure(`the duplicate launch (${shown}) exited ${run.code ?? run.signal}, expected ${launch.exit === 'six' ? '6' : 'a failure'}`, tail(run.stderr))
    if (launch.message && !run.stderr.includes(`${IN_USE} `)) throw new ScenarioFailure(`the duplicate launch exited ${run.code} without "${IN_USE} <path>"`, tail(run.stderr))
    const after = await requireRunning(context, 'after the duplicate launch')
    if (after.child.pid !== before.child.pid) throw new ScenarioFailure(`the app-server changed from pid ${before.child.pid} to ${after.child.pid} after a duplicate launch`)
    return `exit ${run.code}${run.stderr.includes(IN_USE) ? ', "already in use"' : ''}; ${requireOneSupervisorOneChild(context, after.supervisor.pid)}`
  },
}
