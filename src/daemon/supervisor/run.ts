import {resolveChildSpec, serverChoice} from '../../ground/children/child-spec.js'
import {startControlServer, type ControlHandlers} from '../control/server.js'
import {CodexdError} from '../../ground/errors/codexd-error.js'
import {ExitCode} from '../../ground/errors/exit-codes.js'
import {homePaths, resolveCodexHome, type HomePaths} from '../../ground/home/codex-home.js'
import {ensurePrivateDir} from '../../ground/home/private-dir.js'
import {registerHome} from '../../ground/home/registry.js'
import {acquireLock, type HeldLock} from '../../ground/lock/flock.js'
import {describeMovedAside} from '../../ground/state/database.js'
import {preflightHomePaths} from '../../ground/startup/preflight.js'
import {faultPoint} from '../../ground/testing/fault-points.js'
import {readSupervisorConfig, readUpgradePolicy, type SupervisorConfig} from './config.js'
import type {UpgradePolicy} from '../../ground/children/upgrade-policy.js'
import {becomeInitWhenPid1} from './pid1.js'
import {RotatingLog} from './logger.js'
import {reapOrphans} from '../../ground/supervisor-state/orphans.js'
import {SupervisorStore} from '../../ground/supervisor-state/store.js'
import {STOP_REQUEST, stoppedBy} from '../../ground/supervisor-state/stop-reason.js'
import {Supervisor} from './supervisor.js'
import {watchControlDir} from './watcher.js'
import {Findability} from './findability.js'
import {watchExecutable, type ExecutableWatcher} from './executable-watcher.js'
import {Upgrades} from './upgrades.js'

export interface RunSupervisorOptions {
  /** auto|builtin|codex|<command>; default $CODEXD_SERVER, else auto. */
  readonly server?: string
  /** Started by `codexd start`: log only to the file (stderr already is that file). */
  readonly daemon: boolean
  /** --on-upgrade; default $CODEXD_ON_UPGRADE, else restart-when-idle. */
  readonly 'on-upgrade'?: string
}

/**
 * `codexd run`: the supervisor in the foreground until SIGTERM/SIGINT or a `stop` request, then a
 * clean exit 0. Holds the instance lock for its whole life (one supervisor per CODEX_HOME),
 * migrates its state database under it, reaps children orphaned by a supervisor that died,
 * answers the control socket, watches the control directory, probes the app-server socket.
 */
export async function runSupervisor(options: RunSupervisorOptions): Promise<void> {
  const pid1Warning = becomeInitWhenPid1() // as PID 1: does not return, runs again under a reaping init
  const paths = homePaths(resolveCodexHome())
  ensurePrivateDir(paths.codexdDir)
  preflightHomePaths(paths)
  const instance = await takeInstanceLock(paths)
  await faultPoint('supervisor-after-lock')
  const {config, warnings} = readSupervisorConfig()
  const {policy, warning: policyWarning} = readUpgradePolicy(options['on-upgrade'])
  if (policyWarning) warnings.push(policyWarning)
  const log = new RotatingLog(paths.supervisorLog, config.logMaxBytes, config.logKeep, options.daemon ? undefined : process.stderr)
  let store: SupervisorStore | undefined
  try {
    const choice = serverChoice(options.server)
    log.line(`supervisor pid ${process.pid} starting for ${paths.home} (server: ${choice})`)
    for (const warning of [...warnings, ...(pid1Warning ? [pid1Warning] : [])]) log.line(`warning: ${warning}`)
    registerHome(paths.home, (warning) => log.line(warning)) // for codexd list
    const opened = await SupervisorStore.open(paths.supervisorDb)
    store = opened.store
    const spec = await resolveChildSpec(choice)
    await store.beginRun(process.pid, choice)
    if (opened.report.movedAside) {
      const message = describeMovedAside(paths.supervisorDb, opened.report.movedAside)
      log.line(`state-recovered: ${message}`)
      await store.event('state-recovered', message)
    }
    for (const reaped of await reapOrphans(store, config.stopGraceMs)) {
      log.line(`orphan-reaped: ${reaped}`)
      await store.event('orphan-reaped', reaped)
    }
    await serve(paths, config, policy, new Supervisor(paths, spec, choice, config, store, log), store, log, instance)
  } catch (error) {
    log.line(`supervisor failed: ${error instanceof Error ? error.message : String(error)}`)
    await store?.endRun(`failed: ${error instanceof Error ? error.message : String(error)}`).catch(() => {})
    throw error
  } finally {
    await store?.close().catch(() => {})
    log.close()
    instance.current.release()
  }
}

/** The instance lock this supervisor holds now (taken again on a new file if its file was deleted). */
interface InstanceLock {
  current: HeldLock
}

async function takeInstanceLock(paths: HomePaths): Promise<InstanceLock> {
  try {
    return {current: await acquireLock(paths.supervisorInstanceLock, {timeoutMs: 3000, purpose: 'the supervisor instance lock'})}
  } catch (error) {
    if (error instanceof CodexdError && error.code === 'lock-timeout') {
      throw new CodexdError('supervisor-running', `a codexd supervisor already runs for ${paths.home} (${error.message.replace(/^.*\((held by [^)]*)\).*$/, '$1')}): use codexd status, or codexd stop first`, ExitCode.AlreadyInUse)
    }
    throw error
  }
}

/** Runs the supervisor until a stop request or a signal; resolves after a clean shutdown. */
async function serve(paths: HomePaths, config: SupervisorConfig, policy: UpgradePolicy, supervisor: Supervisor, store: SupervisorStore, log: RotatingLog, instance: InstanceLock): Promise<void> {
  let finish!: () => void
  const finished = new Promise<void>((resolve) => (finish = resolve))
  // The supervisor shuts down once; a signal during a stop request gets the same result.
  let stopReason: string | undefined
  const stop = async (reason: string, graceMs = config.stopGraceMs) => {
    stopReason ??= reason // the first one wins, as in supervisor.shutdown
    const result = await supervisor.shutdown(reason, graceMs)
    await faultPoint('supervisor-during-stop') // tests: a crash after the child ended, before the cleanup
    return result
  }

  const handlers: ControlHandlers = {
    ping: async () => ({response: supervisor.summary()}),
    status: async () => {
      const report = supervisor.report()
      const lastExit = report.lastExit ?? (await store.lastExit().catch(() => null))
      return {response: {...report, lastExit, events: await store.recentEvents(20).catch(() => []), upgrade: upgrades?.report() ?? null}}
    },
    start: async (request) => ({response: await supervisor.requestStart(request.wait ?? true)}),
    restart: async (request) => ({response: await supervisor.requestRestart('codexd restart', request.wait ?? true, request.graceMs)}),
    stop: async (request) => {
      await faultPoint('control-stop') // tests: a supervisor that never answers stop
      const result = await stop(STOP_REQUEST, request.graceMs ?? config.stopGraceMs)
      return {response: {stopped: true, supervisorPid: process.pid, child: {pid: result.childPid, endedBy: result.step}}, after: finish}
    },
  }

  // Upgrades of codex only: the built-in is codexd itself, a command's version is unknown.
  const upgrades = supervisor.spec.kind === 'codex' ? new Upgrades(supervisor, policy, config) : undefined
  const control = await startControlServer(paths, handlers)
  const findable = new Findability(paths, instance, control, supervisor, (reason) => void stop(reason).then(finish))
  const watcher = await watchControlDir(paths, {
    onSocketRemoved: (what) => void supervisor.onSocketRemoved(what),
    onControlSocketRemoved: () => void findable.check(),
    onHomeRemoved: () => void findable.check(),
    onRepaired: (kind, message) => void supervisor.event(kind, message),
    onError: (message) => void supervisor.event('error', message),
  })
  const executable = upgrades ? await watchUpgrades(supervisor, upgrades, config) : undefined
  let probing = false
  const probeTimer = setInterval(() => {
    if (probing) return
    probing = true
    findable
      .check()
      .then(() => supervisor.probe())
      .then(() => executable?.tick())
      .catch((error: Error) => supervisor.event('error', `probe failed: ${error.message}`))
      .finally(() => (probing = false))
  }, Math.max(50, config.probeIntervalMs))
  const onSignal = (signal: NodeJS.Signals) => {
    log.line(`received ${signal}: stopping`)
    void stop(`signal ${signal}`).then(finish)
  }
  process.on('SIGTERM', onSignal)
  process.on('SIGINT', onSignal)
  process.on('SIGHUP', onSignal)
  await supervisor.event('supervisor-start', `supervisor pid ${process.pid} serving ${paths.supervisorSocket}; child: ${supervisor.spec.describe}`)
  supervisor.start()

  await finished
  clearInterval(probeTimer)
  upgrades?.close()
  await executable?.close().catch(() => {})
  await watcher.close().catch(() => {})
  await control.close()
  await store.endRun(stoppedBy(stopReason ?? 'an unknown cause'))
  log.line(`supervisor pid ${process.pid} stopped`)
  process.off('SIGTERM', onSignal)
  process.off('SIGINT', onSignal)
  process.off('SIGHUP', onSignal)
}

/** Watches the codex executable the child is spawned from; a watch that cannot start is logged, not fatal. */
async function watchUpgrades(supervisor: Supervisor, upgrades: Upgrades, config: SupervisorConfig): Promise<ExecutableWatcher | undefined> {
  const onError = (message: string) => void supervisor.event('error', message)
  try {
    return await watchExecutable(supervisor.spec.file, config.upgradeSettleMs, () => upgrades.onExecutableChanged(), onError)
  } catch (error) {
    onError(`cannot watch ${supervisor.spec.file} for upgrades: ${(error as Error).message}`)
    return undefined
  }
}
