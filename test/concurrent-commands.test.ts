// Concurrent start/stop/restart/status (docs/supervisor.md, "Concurrent commands"): every pair as
// a storm, each caller's exit code checked against its own request and the end state against the
// facts (the instance lock's holder, the kernel's listeners, the home's processes); then the races
// a storm cannot reliably hit, made deterministic with a test fault point that pauses.
import assert from 'node:assert/strict'
import {existsSync, lstatSync, readdirSync, readFileSync, readlinkSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'
import {makeStaleSocket} from '../src/ground/harness/stale-socket.js'
import {finished, isAlive, runCodexd, spawnCodexd, trackPid, waitFor, type Run} from '../src/ground/harness/processes.js'
import {lockHolderAt} from '../src/ground/lock/holders.js'
import type {StatusReport} from '../src/ground/protocol/status-report.js'
import {fixtureCommand, homeProcesses, status, supervisedHome, type SupervisedHome} from './support/supervisor-home.js'
import {listenerCount} from './support/unix-listeners.js'

type Command = 'start' | 'stop' | 'restart' | 'restart-server' | 'status'

const ARGS: Record<Command, string[]> = {
  start: ['start', '--json'],
  stop: ['stop', '--grace', '1000', '--json'],
  restart: ['restart', '--json'],
  'restart-server': ['restart', '--server', 'builtin', '--json'],
  status: ['status', '--json'],
}

/** The end state each command asks for (status asks for none). */
const ASKS: Record<Command, 'running' | 'stopped' | null> = {start: 'running', stop: 'stopped', restart: 'running', 'restart-server': 'running', status: null}

/**
 * Processes of each command in a storm; a `restart --server` takes its turn alone (a stop and a
 * start), so fewer of those keep the file within its budget (about 1.5 minutes on 2 cores).
 */
function each(a: Command, b: Command): number {
  return a === 'restart-server' || b === 'restart-server' ? 2 : 3
}

interface Ran extends Run {
  readonly command: Command
}

async function storm(home: SupervisedHome, a: Command, b: Command): Promise<Ran[]> {
  const commands = Array.from({length: each(a, b)}, () => [a, b]).flat()
  return Promise.all(commands.map(async (command) => ({command, ...(await runCodexd(ARGS[command], home.env, {timeoutMs: 120_000}))})))
}

/** Each caller's exit code tells the truth about its own request. */
function assertExitCodes(runs: Ran[], label: string): void {
  for (const run of runs) {
    const what = `${label}: ${run.command} exit ${run.code ?? run.signal}: ${run.stderr.trim()}`
    assert.equal(run.timedOut, false, what)
    if (run.command !== 'status') {
      assert.equal(run.code, 0, what)
      continue
    }
    // status says what it saw at its moment: running (0), nothing (3), not serving or going away (4).
    const report = JSON.parse(run.stdout) as StatusReport
    const expected = {running: 0, 'not-running': 3, 'not-serving': 4, unreachable: 4}[report.state]
    assert.equal(run.code, expected, `${what}; state ${report.state}`)
  }
}

/** The supervisor pid a command reported with --json (null: a stop that found nothing, or status). */
function reportedPid(run: Ran): number | null {
  if (run.command === 'status') return null
  return (JSON.parse(run.stdout) as {supervisorPid: number | null}).supervisorPid
}

/**
 * What the end state must be, from facts rather than the order this test saw commands exit (under
 * load a command's exit lags its last check by any amount): running iff the instance lock's holder
 * is the supervisor that ran before the storm or one a start or restart reported, and no stop
 * reported stopping it; stopped iff no supervisor holds the lock and every reported one is dead.
 * A storm that only asks for one state must end in it.
 */
function expectedEnd(home: SupervisedHome, runs: Ran[], beforePid: number | null, label: string): 'running' | 'stopped' {
  const starters = runs.filter((run) => ASKS[run.command] === 'running')
  const stops = runs.filter((run) => run.command === 'stop')
  const known = new Set([beforePid, ...starters.map(reportedPid)].filter((pid): pid is number => pid !== null))
  const stopped = new Set(stops.map(reportedPid).filter((pid): pid is number => pid !== null))
  const holder = lockHolderAt(home.paths.supervisorInstanceLock)
  if (stops.length === 0 && (beforePid !== null || starters.length > 0)) return 'running'
  if (starters.length === 0 && stops.length > 0) return 'stopped'
  if (holder === null) {
    for (const pid of known) assert.equal(isAlive(pid), false, `${label}: no supervisor holds the instance lock, so the reported supervisor ${pid} is dead`)
    return 'stopped'
  }
  assert.ok(known.has(holder), `${label}: the supervisor holding the instance lock (pid ${holder}) is one a start or restart reported (${[...known].join(', ')})`)
  assert.ok(!stopped.has(holder), `${label}: the running supervisor (pid ${holder}) is none a stop reported stopping`)
  return 'running'
}

/** Running: one supervisor (the instance lock's holder), one control and one app-server listener, its child alive, nothing else. */
async function assertRunning(home: SupervisedHome, label: string): Promise<number> {
  const supervisor = lockHolderAt(home.paths.supervisorInstanceLock)
  assert.ok(supervisor !== null && isAlive(supervisor), `${label}: a live supervisor holds the instance lock`)
  trackPid(supervisor)
  assert.equal(listenerCount(home.paths.supervisorSocket), 1, `${label}: one control socket listener`)
  assert.equal(listenerCount(home.paths.appServerSocket), 1, `${label}: one app-server listener`)
  const {code, report} = await status(home.env)
  assert.equal(code, 0, `${label}: status ${JSON.stringify(report)}`)
  assert.equal(report.supervisor?.pid, supervisor)
  const child = report.child?.pid
  assert.ok(child && isAlive(child), `${label}: the child is alive`)
  const pids = homeProcesses(home.home).map((p) => p.pid).sort()
  assert.deepEqual(pids, [supervisor, child].sort(), `${label}: the supervisor and its child, nothing else`)
  return supervisor
}

/** Stopped: no supervisor, no listener, no process of the home, no socket file. */
async function assertStopped(home: SupervisedHome, label: string): Promise<void> {
  assert.equal(lockHolderAt(home.paths.supervisorInstanceLock), null, `${label}: no supervisor holds the instance lock`)
  assert.equal(listenerCount(home.paths.supervisorSocket), 0, `${label}: no control listener`)
  assert.equal(listenerCount(home.paths.appServerSocket), 0, `${label}: no app-server listener`)
  assert.deepEqual(homeProcesses(home.home), [], `${label}: no process of the home`)
  assert.equal(existsSync(home.paths.supervisorSocket), false, `${label}: no control socket file`)
  assert.equal(existsSync(home.paths.appServerSocket), false, `${label}: no app-server socket file`)
  assert.equal((await status(home.env)).code, 3)
}

/** Brings the home to `state`; the supervisor's pid when running. */
async function bringTo(home: SupervisedHome, state: 'running' | 'stopped'): Promise<number | null> {
  const result = await runCodexd(state === 'running' ? ['start'] : ['stop', '--grace', '1000'], home.env)
  assert.equal(result.code, 0, result.stderr)
  return lockHolderAt(home.paths.supervisorInstanceLock)
}

/**
 * Every pair, each storm run from a running and from a stopped home; a `restart --server` with a
 * start, restart or status only from a running one (from a stopped one it is that start).
 */
const PAIRS: Array<[Command, Command]> = [
  ['start', 'start'],
  ['start', 'stop'],
  ['start', 'restart'],
  ['start', 'status'],
  ['stop', 'stop'],
  ['stop', 'restart'],
  ['stop', 'status'],
  ['restart', 'restart'],
  ['restart', 'status'],
  ['status', 'status'],
  ['restart-server', 'restart-server'],
  ['restart-server', 'start'],
  ['restart-server', 'stop'],
  ['restart-server', 'restart'],
  ['restart-server', 'status'],
]

describe('concurrent commands: every pair as a storm', {timeout: 600_000}, () => {
  const homes: SupervisedHome[] = []
  after(async () => {
    for (const home of homes) await home.cleanup()
  })

  for (const [a, b] of PAIRS) {
    it(`${each(a, b)} ${a} + ${each(a, b)} ${b}: each exits as its request went, the end state is what their reports say`, {timeout: 240_000}, async () => {
      // `restart --server builtin` switches away from the home's default server (a fixture), so the
      // end state shows whether its stop and start were one turn: nothing else may start between.
      const switching = a === 'restart-server' || b === 'restart-server'
      const home = supervisedHome(switching ? fixtureCommand('serve') : 'builtin')
      homes.push(home)
      const starts = a === 'restart-server' && (b === 'start' || b === 'restart' || b === 'status') ? (['running'] as const) : (['running', 'stopped'] as const)
      for (const before of starts) {
        const label = `${a} + ${b} from ${before}`
        const beforePid = await bringTo(home, before)
        const runs = await storm(home, a, b)
        assertExitCodes(runs, label)
        if (expectedEnd(home, runs, beforePid, label) === 'running') await assertRunning(home, `${label} (end: running)`)
        else await assertStopped(home, `${label} (end: stopped)`)
        if (switching && lockHolderAt(home.paths.supervisorInstanceLock) !== null) {
          assert.equal((await status(home.env)).report.supervisor?.server, 'builtin', `${label}: the server restart --server chose runs`)
        }
        // Without a stop or a server switch, every start and restart saw the one supervisor.
        if (![a, b].some((command) => command === 'stop' || command === 'restart-server')) {
          const pids = new Set(runs.filter((run) => run.command === 'start' || run.command === 'restart').map((run) => (JSON.parse(run.stdout) as {supervisorPid: number}).supervisorPid))
          if (pids.size > 0) assert.deepEqual([...pids], [lockHolderAt(home.paths.supervisorInstanceLock)], `${label}: one supervisor for all`)
        }
      }
    })
  }
})

/** The pid a paused process announced at `phase` in `text` (its stderr, or the supervisor log). */
function pausedAt(text: string, phase: string): number | undefined {
  const match = new RegExp(`codexd test fault: pausing at ${phase} \\(pid (\\d+)\\)`).exec(text)
  return match ? Number(match[1]) : undefined
}

/** True when process `pid` has `path` open (one of its /proc/<pid>/fd links points at it). */
function holdsOpen(pid: number, path: string): boolean {
  try {
    return readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`) === path
      } catch {
        return false // closed meanwhile
      }
    })
  } catch {
    return false // exited
  }
}

/** `codexd start --json` whose processes pause at `phase` (it, or the supervisor it spawns) until `resume()`. */
function pausedStart(home: SupervisedHome, phase: string) {
  const resumeFile = join(home.home, `resume-${phase}`)
  const start = spawnCodexd(['start', '--json'], {...home.env, CODEXD_TEST_FAULT: `${phase}:pause`, CODEXD_TEST_RESUME: resumeFile})
  let stderr = ''
  start.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  return {start, run: finished(start), stderr: () => stderr, resume: () => writeFileSync(resumeFile, '')}
}

describe('stop racing a starting supervisor (between its instance lock and its control socket)', {timeout: 120_000}, () => {
  const home = supervisedHome('builtin')
  after(() => home.cleanup())

  it('stop waits for the start that spawned it; both exit 0, and the end state is the later one\'s', async () => {
    const starting = pausedStart(home, 'supervisor-after-lock')
    const first = await waitFor(() => (existsSync(home.paths.supervisorLog) ? pausedAt(readFileSync(home.paths.supervisorLog, 'utf8'), 'supervisor-after-lock') : undefined), {timeoutMs: 30_000, what: 'the supervisor to pause holding its instance lock'})
    trackPid(first)
    assert.equal(lockHolderAt(home.paths.supervisorInstanceLock), first)
    assert.equal(existsSync(home.paths.supervisorSocket), false, 'no control socket yet')

    const stop = spawnCodexd(['stop', '--grace', '1000', '--json'], home.env)
    const stopped = finished(stop)
    // The stop is at its turn (it opened supervisor.lock, which the paused start holds): one that did
    // not wait would SIGTERM the paused supervisor at once.
    await waitFor(() => holdsOpen(stop.pid!, home.paths.supervisorLock) || undefined, {timeoutMs: 60_000, what: 'codexd stop to open supervisor.lock'})
    await new Promise((resolve) => setTimeout(resolve, 500))
    assert.ok(isAlive(first), 'the supervisor a start is bringing up is not stopped under it')
    assert.equal(stop.exitCode, null, 'stop waits for that start')

    starting.resume()
    const [startRun, stopRun] = await Promise.all([starting.run, stopped])
    assert.equal(stopRun.code, 0, stopRun.stderr)
    assert.equal(startRun.code, 0, startRun.stderr)
    assert.equal((JSON.parse(stopRun.stdout) as {supervisorPid: number}).supervisorPid, first, 'stop stopped the supervisor the start brought up')
    assert.equal(isAlive(first), false)
    const startedPid = (JSON.parse(startRun.stdout) as {supervisorPid: number}).supervisorPid
    if (startedPid === first) await assertStopped(home, 'start returned before the stop: stopped') // start won, then stop ran
    else assert.equal(await assertRunning(home, 'stop came first, the start after it: running'), startedPid)
  })
})

describe('a stale control socket placed while another start holds the startup lock', {timeout: 120_000}, () => {
  const home = supervisedHome('builtin')
  after(() => home.cleanup())

  it('the waiting start leaves it alone; the start that holds the lock replaces it; both exit 0 with one supervisor', async () => {
    const holding = pausedStart(home, 'ensure-after-lock')
    const holder = holding.start
    await waitFor(() => pausedAt(holding.stderr(), 'ensure-after-lock') === holder.pid, {timeoutMs: 30_000, what: 'codexd start to pause holding supervisor.lock'})
    assert.equal(lockHolderAt(home.paths.supervisorLock), holder.pid)

    makeStaleSocket(home.paths.supervisorSocket)
    const staleInode = lstatSync(home.paths.supervisorSocket).ino
    const waiter = spawnCodexd(['start', '--json'], home.env)
    const waited = finished(waiter)
    await new Promise((resolve) => setTimeout(resolve, 1000))
    assert.equal(waiter.exitCode, null, 'the second start waits for the lock')
    assert.ok(lstatSync(home.paths.supervisorSocket).isSocket() && lstatSync(home.paths.supervisorSocket).ino === staleInode, 'the stale socket is untouched without the lock')
    assert.equal(lockHolderAt(home.paths.supervisorInstanceLock), null, 'no supervisor was spawned without the lock')

    holding.resume()
    const [first, second] = await Promise.all([holding.run, waited])
    assert.equal(first.code, 0, first.stderr)
    assert.equal(second.code, 0, second.stderr)
    const pids = [first, second].map((run) => (JSON.parse(run.stdout) as {supervisorPid: number}).supervisorPid)
    assert.equal(pids[0], pids[1], 'one supervisor for both')
    // The stale file is gone: the one socket at the path now is the supervisor's listener.
    assert.equal(await assertRunning(home, 'after the stale socket'), pids[0])
  })
})

describe('a signal to a foreground codexd run is recorded as that signal', {timeout: 120_000}, () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    const home = supervisedHome('builtin')
    after(() => home.cleanup())

    it(`${signal}: the child's exit and the run say "stopped by signal ${signal}", not codexd stop`, async () => {
      const run = spawnCodexd(['run'], home.env)
      const ran = finished(run)
      const {report} = await waitForRunning(home)
      assert.equal(report.supervisor?.pid, run.pid)
      run.kill(signal)
      assert.equal((await ran).code, 0, `codexd run exits 0 after ${signal}`)
      const ended = await status(home.env)
      assert.equal(ended.code, 3)
      assert.equal(ended.report.lastExit?.pid, report.child?.pid)
      assert.equal(ended.report.lastExit?.reason, `stopped by signal ${signal}`)
      const {SupervisorStore} = await import('../src/ground/supervisor-state/store.js')
      const store = (await SupervisorStore.openForReading(home.paths.supervisorDb))!
      try {
        assert.equal((await store.runOf(run.pid!))?.stopReason, `stopped by signal ${signal}`)
      } finally {
        await store.close()
      }
    })
  }
})

async function waitForRunning(home: SupervisedHome): Promise<{report: StatusReport}> {
  return waitFor(async () => {
    const result = await status(home.env)
    return result.code === 0 ? result : undefined
  }, {timeoutMs: 30_000, intervalMs: 100, what: 'codexd run to serve'})
}
