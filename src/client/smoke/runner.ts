import type {StatusReport} from '../../ground/protocol/status-report.js'
import {CENSUS_AVAILABLE, processesForHome} from './census.js'
import {killAllStarted, runCodexd} from '../../ground/harness/processes.js'
import {tail} from './cli.js'
import {requireRunning, requireStart} from './checks.js'
import type {SmokeHome} from './home.js'
import {SCENARIOS} from './scenarios/index.js'
import {ScenarioFailure, type Precondition, type Scenario, type ScenarioResult, type SmokeContext, type SmokeReport} from './types.js'

export interface SmokeOptions {
  readonly server: string
  readonly home: SmokeHome
  readonly timeoutMs: number
  readonly stormSize: number
  /** Aborted on Ctrl-C/SIGTERM: the current scenario fails as interrupted, the rest are skipped, cleanup runs. */
  readonly signal: AbortSignal
  readonly scenarios?: readonly Scenario[]
  readonly onStart?: (scenario: Scenario, index: number, total: number) => void
  readonly onResult?: (result: ScenarioResult, index: number, total: number) => void
}

/** The environment of every process smoke starts: the smoke home and server, nothing inherited that changes codex. */
function smokeEnv(home: string, server: string, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {...base, CODEX_HOME: home, CODEXD_SERVER: server}
  delete env.RUST_BACKTRACE // codex prints backtraces on every error with it
  delete env.CODEXD_NO_SPAWN
  return env
}

function makeContext(options: SmokeOptions): SmokeContext {
  const env = smokeEnv(options.home.paths.home, options.server)
  return {
    paths: options.home.paths,
    server: options.server,
    env,
    timeoutMs: options.timeoutMs,
    stormSize: options.stormSize,
    signal: options.signal,
    codexd: (args, cliOptions) => runCodexd(args, env, cliOptions),
    async status() {
      const run = await runCodexd(['status', '--json'], env, {timeoutMs: 30_000})
      let report: StatusReport | undefined
      try {
        report = JSON.parse(run.stdout) as StatusReport
      } catch {
        report = undefined
      }
      return {code: run.code, report}
    },
  }
}

/** Puts the home in the state a scenario needs (untimed). Throws a ScenarioFailure naming the step. */
async function establish(context: SmokeContext, needs: Precondition): Promise<void> {
  if (needs === 'running') {
    if ((await context.status()).code === 0) return
    await requireStart(context, 'precondition: codexd start')
    await requireRunning(context, 'precondition')
    return
  }
  const stop = await context.codexd(['stop'], {timeoutMs: context.timeoutMs + 10_000})
  if (stop.code !== 0) throw new ScenarioFailure(`precondition: codexd stop exited ${stop.code}`, tail(stop.stderr || stop.stdout))
}

/** Runs `promise`, but rejects as interrupted as soon as `signal` aborts. */
function interruptible<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new ScenarioFailure('interrupted'))
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(new ScenarioFailure('interrupted (Ctrl-C)'))
    signal.addEventListener('abort', onAbort, {once: true})
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
  })
}

async function runOne(context: SmokeContext, scenario: Scenario, skipReason: string | undefined): Promise<ScenarioResult> {
  const base = {id: scenario.id, name: scenario.name}
  if (skipReason) return {...base, status: 'skipped', durationMs: 0, message: skipReason}
  // Timed from the end of the precondition (or, when that fails, from its start).
  let timed = Date.now()
  try {
    await interruptible(establish(context, scenario.needs), context.signal)
    timed = Date.now()
    const message = await interruptible(scenario.run(context), context.signal)
    return {...base, status: 'passed', durationMs: Date.now() - timed, message}
  } catch (error) {
    const failure = error instanceof ScenarioFailure ? error : new ScenarioFailure(error instanceof Error ? error.message : String(error), error instanceof Error ? error.stack : undefined)
    return {...base, status: 'failed', durationMs: Date.now() - timed, message: failure.message, details: failure.details}
  }
}

/**
 * Stops codexd for the smoke home, kills whatever still runs for it (SIGKILL, by pid) and every
 * process group smoke started, and removes a temporary home. Says what it did.
 */
async function cleanupSmoke(home: SmokeHome, server: string): Promise<string> {
  const env = smokeEnv(home.paths.home, server)
  // First the harness's own commands still in flight (an interrupted storm's starts), so none
  // of them starts a supervisor after the stop.
  killAllStarted()
  const stop = await runCodexd(['stop', '--grace', '2000'], env, {timeoutMs: 30_000})
  const leftovers = CENSUS_AVAILABLE ? processesForHome(home.paths.home) : []
  for (const p of leftovers) {
    try {
      process.kill(p.pid, 'SIGKILL')
    } catch {
      // Gone meanwhile.
    }
  }
  home.remove()
  const parts = [stop.code === 0 ? 'codexd stop: ok' : `codexd stop exited ${stop.code}`]
  if (leftovers.length > 0) parts.push(`killed ${leftovers.length} leftover process(es): ${leftovers.map((p) => p.pid).join(', ')}`)
  parts.push(home.temporary ? `removed ${home.paths.home}` : `kept ${home.paths.home}`)
  return parts.join('; ')
}

/**
 * Runs the smoke scenarios against a real codexd in `options.home`, in order, each timed after
 * its precondition is established. Once the server could not be started, later scenarios that
 * need it are skipped (the first failure is the one to read). Always cleans up.
 */
export async function runSmoke(options: SmokeOptions): Promise<SmokeReport> {
  const context = makeContext(options)
  const scenarios = options.scenarios ?? SCENARIOS
  const startedAt = new Date()
  const results: ScenarioResult[] = []
  let neverStarted = false
  let cleanup = ''
  try {
    for (const [index, scenario] of scenarios.entries()) {
      const skip = options.signal.aborted ? 'interrupted (Ctrl-C)' : neverStarted && scenario.needs === 'running' ? 'skipped: the server never started (see the first failure)' : undefined
      if (!skip) options.onStart?.(scenario, index, scenarios.length)
      const result = await runOne(context, scenario, skip)
      if (result.status === 'passed') neverStarted = false
      else if (result.status === 'failed' && scenario.id === 'cold-start') neverStarted = (await context.status()).code !== 0
      results.push(result)
      options.onResult?.(result, index, scenarios.length)
    }
  } finally {
    cleanup = await cleanupSmoke(options.home, options.server)
  }
  return {
    ok: results.every((r) => r.status === 'passed'),
    server: options.server,
    home: options.home.paths.home,
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    interrupted: options.signal.aborted,
    scenarios: results,
    cleanup,
  }
}
