import assert from 'node:assert/strict'
import {existsSync, lstatSync, readFileSync} from 'node:fs'
import {after, describe, test} from 'node:test'
import type {HomePaths} from '../src/ground/home/codex-home.js'
import {lockHolderPids} from './support/lock-holders.js'
import {finished, killGroup, runCodexd, spawnCodexd, trackPid, waitFor} from '../src/ground/harness/processes.js'
import {checkDatabase} from './support/sqlite-check.js'
import {fixtureCommand, homeProcesses, isRunning, status, supervisedHome, waitForStatus, waitGone, type SupervisedHome} from './support/supervisor-home.js'
import {listenerCount} from './support/unix-listeners.js'
import {RpcClient} from './support/ws-client.js'

/** Where `codexd start` and the supervisor it spawns can be killed, in the order they get there. */
const PHASES = [
  {phase: 'ensure-after-lock', who: 'codexd start, holding supervisor.lock', lock: 'supervisorLock'},
  {phase: 'supervisor-after-lock', who: 'the supervisor, holding its instance lock', lock: 'supervisorInstanceLock'},
  {phase: 'during-migration', who: 'the supervisor, migrating its state database', lock: 'supervisorInstanceLock'},
  {phase: 'supervisor-after-prepare', who: 'the supervisor, after preparing its control socket', lock: 'supervisorInstanceLock'},
  {phase: 'supervisor-after-bind', who: 'the supervisor, after binding its control socket', lock: 'supervisorInstanceLock'},
] as const

describe('kill -9 of codexd start and of the supervisor at each startup phase', () => {
  const homes: SupervisedHome[] = []
  after(async () => {
    for (const home of homes) await home.cleanup()
  })

  for (const {phase, who, lock} of PHASES) {
    test(`${phase} (${who}): the next start succeeds, the databases are sound, nothing is left over`, async () => {
      const home = supervisedHome('builtin')
      homes.push(home)
      const start = spawnCodexd(['start', '--timeout', '60000'], {...home.env, CODEXD_TEST_FAULT: `${phase}:hang`})
      const startOutput = finished(start)
      const hung = phase === 'ensure-after-lock' ? start.pid! : await hungPid(home.paths.supervisorLog, phase)
      if (phase === 'ensure-after-lock') await waitFor(() => lockHolderPids(home.paths.supervisorLock).includes(hung), {what: 'codexd start to hold supervisor.lock'})
      else trackPid(hung)
      assert.deepEqual(lockHolderPids(home.paths[lock]), [hung], `${lock} is held at this phase`)

      killGroup(hung, 'SIGKILL')
      const started = await startOutput
      if (phase === 'ensure-after-lock') assert.equal(started.signal, 'SIGKILL')
      else {
        assert.equal(started.code, 8, 'codexd start reports the dead supervisor')
        assert.match(started.stderr, /^codexd: the codexd supervisor .*(killed by SIGKILL|stopped while).*: see .*supervisor\.log/)
        assert.equal(started.stderr.trim().split('\n').length, 1, 'one line')
      }
      await waitGone([hung], 'the killed process')
      await assertLeftSane(home.paths, phase === 'during-migration' ? 'rolled-back' : 'any')
      assert.deepEqual(homeProcesses(home.home), [], 'no stray process')

      await assertNextStartServes(home)
    })
  }

  test('supervisor-during-stop (the child already ended, the cleanup not done): stop still ends it, the next start succeeds', async () => {
    const home = supervisedHome('builtin', {CODEXD_TEST_FAULT: 'supervisor-during-stop:hang'})
    homes.push(home)
    const started = await runCodexd(['start'], home.env)
    assert.equal(started.code, 0, started.stderr)
    const {report} = await status(home.env)
    const supervisorPid = report.supervisor!.pid
    trackPid(supervisorPid)
    const childPid = report.child!.pid!

    const stop = spawnCodexd(['stop', '--grace', '1000', '--json'], home.env)
    const stopOutput = finished(stop)
    assert.equal(await hungPid(home.paths.supervisorLog, 'supervisor-during-stop'), supervisorPid)
    await waitGone([childPid], 'the child, ended by the stop')
    killGroup(supervisorPid, 'SIGKILL')
    const stopped = await stopOutput
    assert.equal(stopped.code, 0, `stop succeeds: ${stopped.stderr}`)
    await waitGone([supervisorPid], 'the killed supervisor')
    await assertLeftSane(home.paths, 'any')
    assert.equal(existsSync(home.paths.supervisorSocket), false, 'stop removed the stale control socket')
    assert.equal(existsSync(home.paths.appServerSocket), false, 'and the app-server socket')
    assert.deepEqual(homeProcesses(home.home), [], 'no stray process')

    delete home.env.CODEXD_TEST_FAULT
    await assertNextStartServes(home)
  })
})

describe('kill -9 of the supervisor while it holds app-server-startup.lock for a lock-unaware child', () => {
  const home = supervisedHome(fixtureCommand('never-bind'), {CODEXD_READY_TIMEOUT_MS: '120000'})
  after(() => home.cleanup())

  test('the kernel releases the lock; the next start reaps the orphaned child and serves', async () => {
    const start = spawnCodexd(['start', '--timeout', '120000'], home.env)
    const startOutput = finished(start)
    const starting = await waitForStatus(home.env, (report) => report.child?.state === 'starting' && report.child.pid !== null, 'the child to be spawned')
    const supervisor = starting.supervisor!.pid
    const orphan = starting.child!.pid!
    trackPid(supervisor)
    await waitFor(() => lockHolderPids(home.paths.startupLock).includes(supervisor), {what: 'the supervisor to hold the startup lock'})
    // The child writes its first line through a pipe to the supervisor: a child still starting when
    // the supervisor dies gets EPIPE on that write and exits, which is not what this test is about.
    await waitFor(() => readFileSync(home.paths.supervisorLog, 'utf8').includes(`fixture ${orphan}: alive`), {what: 'the child to have started'})

    killGroup(supervisor, 'SIGKILL')
    assert.equal((await startOutput).code, 8, 'the waiting start reports the dead supervisor')
    await waitGone([supervisor], 'the killed supervisor')
    assert.deepEqual(lockHolderPids(home.paths.startupLock), [], 'the kernel released the startup lock (the child never inherited it)')
    assert.ok(isRunning(orphan), 'the child outlives its supervisor')

    // The next start (with a child that serves) reaps the orphan and starts exactly one child.
    const env = {...home.env, CODEXD_SERVER: fixtureCommand('serve')}
    const again = await runCodexd(['start'], env)
    assert.equal(again.code, 0, again.stderr)
    const {report} = await status(env)
    trackPid(report.supervisor!.pid)
    assert.equal(isRunning(orphan), false, 'the orphan was reaped')
    assert.ok(report.events.some((event) => event.kind === 'orphan-reaped'))
    assert.equal(listenerCount(home.paths.appServerSocket), 1)
    assert.deepEqual(lockHolderPids(home.paths.startupLock), [], 'released once the new child answered')
    assert.equal((await checkDatabase(home.paths.supervisorDb)).integrity, 'ok')
    assert.equal((await runCodexd(['stop'], env)).code, 0)
  })
})

/** The pid a fault point announced in the supervisor log when it stopped at `phase`. */
async function hungPid(log: string, phase: string): Promise<number> {
  const pattern = new RegExp(`codexd test fault: hanging at ${phase} \\(pid (\\d+)\\)`)
  const match = await waitFor(() => (existsSync(log) ? pattern.exec(readFileSync(log, 'utf8')) : null), {timeoutMs: 30_000, what: `the supervisor to reach ${phase}`})
  return Number(match[1])
}

/**
 * After a kill -9: both lock files still exist and nobody holds them, nothing listens on either
 * socket, any socket path left is a (stale) socket, and every database passes integrity_check
 * (an interrupted migration rolled back completely).
 */
async function assertLeftSane(paths: HomePaths, migration: 'rolled-back' | 'any'): Promise<void> {
  for (const lock of [paths.supervisorLock, paths.supervisorInstanceLock]) {
    if (existsSync(lock)) assert.deepEqual(lockHolderPids(lock), [], `nobody holds ${lock}`)
  }
  assert.ok(existsSync(paths.supervisorLock), 'the ensure lock file is never deleted')
  for (const socket of [paths.supervisorSocket, paths.appServerSocket]) {
    assert.equal(listenerCount(socket), 0, `nothing listens on ${socket}`)
    if (existsSync(socket)) assert.ok(lstatSync(socket).isSocket(), `${socket} is a stale socket, nothing else`)
  }
  for (const db of [paths.supervisorDb, paths.builtinDb]) {
    if (!existsSync(db)) continue
    const check = await checkDatabase(db)
    assert.equal(check.integrity, 'ok', db)
    if (migration === 'rolled-back' && db === paths.supervisorDb) {
      assert.equal(check.userVersion, 0, 'the interrupted migration never committed')
      assert.deepEqual(check.tables, [], 'no table of it survives')
    }
  }
}

/** A plain start serves an initialize round trip; a stop then leaves no process and sound databases. */
async function assertNextStartServes(home: SupervisedHome): Promise<void> {
  const again = await runCodexd(['start'], home.env)
  assert.equal(again.code, 0, again.stderr)
  const {report} = await status(home.env)
  trackPid(report.supervisor!.pid)
  assert.equal(report.state, 'running')
  const client = await RpcClient.connect(home.paths.appServerSocket)
  await client.initialize()
  client.close()
  assert.equal(listenerCount(home.paths.appServerSocket), 1)
  const stopped = await runCodexd(['stop'], home.env)
  assert.equal(stopped.code, 0, stopped.stderr)
  await waitFor(() => homeProcesses(home.home).length === 0, {what: 'every process of the home to end'})
  for (const db of [home.paths.supervisorDb, home.paths.builtinDb]) assert.equal((await checkDatabase(db)).integrity, 'ok', db)
  assert.ok(existsSync(home.paths.startupLock) && existsSync(home.paths.supervisorInstanceLock), 'lock files stay')
}
