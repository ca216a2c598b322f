import assert from 'node:assert/strict'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'
import type {StatusReport} from '../src/ground/protocol/status-report.js'
import {runCodexd} from '../src/ground/harness/processes.js'
import {fixtureCommand, isRunning, status, supervisedHome, waitForStatus} from './support/supervisor-home.js'

/** The delays announced by backoff events, in order. */
function delays(report: StatusReport): number[] {
  return report.events.filter((event) => event.kind === 'backoff').map((event) => Number(/restarting in (\d+) ms/.exec(event.message)?.[1]))
}

describe('restart policy: a child that crashes at once', () => {
  const home = supervisedHome(fixtureCommand('crash-at-once'), {CODEXD_CRASH_LOOP_COUNT: '5', CODEXD_BACKOFF_MIN_MS: '50', CODEXD_BACKOFF_MAX_MS: '150'})
  const heal = join(home.home, 'heal')
  home.env.FIXTURE_HEAL_FILE = heal
  after(() => home.cleanup())

  it('start fails with exit 8 once the child crash-loops, naming the log', async () => {
    const started = await runCodexd(['start'], home.env)
    assert.equal(started.code, 8, started.stdout + started.stderr)
    assert.match(started.stderr, /crash-looping/)
    assert.match(started.stderr, new RegExp(home.paths.supervisorLog))
    assert.match(started.stderr, /crashing at once/, 'the log tail shows the child output')
  })

  it('backs off exponentially up to the cap, then holds in crash-loop (status exit 4)', async () => {
    const {code, report} = await status(home.env)
    assert.equal(code, 4)
    assert.equal(report.state, 'not-serving')
    assert.equal(report.child?.state, 'crash-loop')
    assert.equal(report.child?.pid, null)
    assert.deepEqual(delays(report), [50, 100, 150, 150], 'doubling from the minimum, capped at the maximum')
    assert.equal(report.restarts, 4, 'five spawns: the fifth unstable exit is the crash loop')
    assert.equal(report.lastExit?.code, 3)
    assert.match(report.lastExit?.reason ?? '', /exited before answering initialize: fixture \d+: crashing at once/)
    assert.ok(report.events.some((event) => event.kind === 'crash-loop'))
  })

  it('crash-loop holds: no further spawns while nobody asks', async () => {
    const before = (await status(home.env)).report.restarts
    // An observation window of several probe periods; nothing is expected to happen in it.
    await new Promise((resolve) => setTimeout(resolve, 1000))
    const now = (await status(home.env)).report
    assert.equal(now.child?.state, 'crash-loop')
    assert.equal(now.restarts, before)
  })

  it('start clears the crash-loop state and succeeds once the child is fixed', async () => {
    writeFileSync(heal, '')
    const started = await runCodexd(['start'], home.env)
    assert.equal(started.code, 0, started.stderr)
    const {code, report} = await status(home.env)
    assert.equal(code, 0)
    assert.equal(report.child?.state, 'running')
    assert.ok(report.events.some((event) => event.kind === 'state-cleared' && /crash-loop cleared/.test(event.message)))
  })
})

describe('restart policy: the wait announced is the wait taken', {timeout: 120_000}, () => {
  // Delays far above a crashing child's lifetime (~0.1 s), so a shorter real wait cannot hide in it.
  const home = supervisedHome(fixtureCommand('crash-at-once'), {CODEXD_CRASH_LOOP_COUNT: '4', CODEXD_BACKOFF_MIN_MS: '600', CODEXD_BACKOFF_MAX_MS: '2400'})
  after(() => home.cleanup())

  it('each gap between recorded spawns is at least the backoff announced before it', async () => {
    assert.equal((await runCodexd(['start'], home.env)).code, 8, 'the child crash-loops')
    const announced = delays((await status(home.env)).report)
    assert.deepEqual(announced, [600, 1200, 2400])
    const spawned = await spawnTimes(home.paths.supervisorDb)
    assert.equal(spawned.length, 4, 'four spawns: the fourth unstable exit is the crash loop')
    const gaps = spawned.slice(1).map((at, index) => at - spawned[index])
    gaps.forEach((gap, index) => assert.ok(gap >= announced[index], `spawn ${index + 2} came ${gap} ms after spawn ${index + 1}, before the announced ${announced[index]} ms: gaps ${gaps}`))
  })
})

/** When each child was spawned (ms since the epoch), from the supervisor's state database. */
async function spawnTimes(database: string): Promise<number[]> {
  const {SupervisorStore} = await import('../src/ground/supervisor-state/store.js')
  const store = await SupervisorStore.openForReading(database)
  assert.ok(store, `no readable state database at ${database}`)
  try {
    const rows = await store.db.all<{spawnedAt: string}>('SELECT spawned_at AS spawnedAt FROM child_spawns ORDER BY id')
    return rows.map((row) => Date.parse(row.spawnedAt))
  } finally {
    await store.close()
  }
}

describe('restart policy: restart clears a crash-loop too', () => {
  const home = supervisedHome(fixtureCommand('crash-at-once'), {CODEXD_CRASH_LOOP_COUNT: '2'})
  const heal = join(home.home, 'heal')
  home.env.FIXTURE_HEAL_FILE = heal
  after(() => home.cleanup())

  it('codexd restart after a crash-loop starts a fresh child', async () => {
    assert.equal((await runCodexd(['start'], home.env)).code, 8)
    assert.equal((await status(home.env)).report.child?.state, 'crash-loop')
    writeFileSync(heal, '')
    const restarted = await runCodexd(['restart', '--json'], home.env)
    assert.equal(restarted.code, 0, restarted.stderr)
    const {code, report} = await status(home.env)
    assert.equal(code, 0)
    assert.equal(report.child?.state, 'running')
    assert.equal(JSON.parse(restarted.stdout).childPid, report.child?.pid)
  })
})

describe('restart policy: backoff resets after a stable run', () => {
  const home = supervisedHome(fixtureCommand('crash-at-once'), {
    CODEXD_CRASH_LOOP_COUNT: '20',
    CODEXD_BACKOFF_MIN_MS: '50',
    CODEXD_BACKOFF_MAX_MS: '10000',
    CODEXD_STABLE_MS: '300',
    FIXTURE_SERVE_MS: '800',
  })
  const heal = join(home.home, 'heal')
  home.env.FIXTURE_HEAL_FILE = heal
  after(() => home.cleanup())

  it('unstable exits grow the delay; a run longer than CODEXD_STABLE_MS starts over from the minimum', async () => {
    const {spawnCodexd} = await import('../src/ground/harness/processes.js')
    const run = spawnCodexd(['run'], home.env)
    await waitForStatus(home.env, (r) => delays(r).length >= 3, 'three unstable restarts')
    writeFileSync(heal, '') // from now on the child serves 800 ms (stable: >= 300 ms), then exits 7
    const report = await waitForStatus(home.env, (r) => r.events.some((e) => e.kind === 'ready') && /stable run/.test(r.events.filter((e) => e.kind === 'backoff').at(-1)?.message ?? ''), 'a stable exit', 60_000)
    const announced = delays(report)
    const unstable = announced.slice(0, announced.length - 1)
    assert.deepEqual(unstable.slice(0, 3), [50, 100, 200])
    assert.ok(unstable.every((delay, index) => index === 0 || delay === unstable[index - 1] * 2), `unstable delays double: ${unstable}`)
    assert.equal(announced.at(-1), 50, 'after the stable run the delay is back at the minimum')
    assert.equal(report.lastExit?.code, 7)
    assert.match(report.lastExit?.reason ?? '', /exited after serving \d+ ms/)
    run.kill('SIGTERM')
  })
})

describe('started means an initialize round trip', () => {
  const home = supervisedHome(fixtureCommand('bind-no-answer'), {CODEXD_READY_TIMEOUT_MS: '1500', CODEXD_CRASH_LOOP_COUNT: '2'})
  after(() => home.cleanup())

  it('a child that binds the socket but never answers initialize is never "running", and is killed', async () => {
    const {spawnCodexd} = await import('../src/ground/harness/processes.js')
    spawnCodexd(['run'], home.env)
    const starting = await waitForStatus(home.env, (r) => r.child?.state === 'starting' && r.child.pid !== null, 'the child to be spawned')
    const {probeSocket} = await import('../src/ground/startup/socket-probe.js')
    const {waitFor} = await import('../src/ground/harness/processes.js')
    await waitFor(async () => (await probeSocket(home.paths.appServerSocket)).kind === 'live', {what: 'the fixture to bind'})
    const bound = await status(home.env)
    assert.equal(bound.code, 4, 'a bound socket alone is not running')
    assert.equal(bound.report.child?.state, 'starting')
    const failed = await waitForStatus(home.env, (r) => r.child?.state === 'crash-loop', 'the ready timeout to fail it twice')
    assert.ok(!failed.events.some((event) => event.kind === 'ready'), 'never counted as started')
    assert.match(failed.lastExit?.reason ?? '', /did not answer initialize within 1500 ms/)
    assert.equal(isRunning(starting.child!.pid!), false, 'the silent child was killed')
  })
})

describe('a child that never binds', () => {
  const home = supervisedHome(fixtureCommand('never-bind'), {CODEXD_READY_TIMEOUT_MS: '1000', CODEXD_CRASH_LOOP_COUNT: '2'})
  after(() => home.cleanup())

  it('is killed after the ready timeout and start reports the failure', async () => {
    const started = await runCodexd(['start', '--timeout', '60000'], home.env)
    assert.equal(started.code, 8, started.stderr)
    const {report} = await status(home.env)
    assert.equal(report.child?.state, 'crash-loop')
    assert.match(report.lastExit?.reason ?? '', /did not answer initialize within 1000 ms/)
    assert.equal(report.lastExit?.signal, 'SIGTERM')
  })
})

describe('a child that says "already in use" while nothing listens', () => {
  const home = supervisedHome(fixtureCommand('already-in-use'), {CODEXD_CRASH_LOOP_COUNT: '3'})
  after(() => home.cleanup())

  it('counts as a failed start (records the duplicate launch) instead of waiting on a listener that does not exist', async () => {
    const started = await runCodexd(['start'], home.env)
    assert.equal(started.code, 8, started.stderr)
    const {report} = await status(home.env)
    assert.equal(report.child?.state, 'crash-loop')
    assert.equal(report.unmanagedListener, null)
    assert.ok(report.events.some((event) => event.kind === 'duplicate-launch' && /nothing answers/.test(event.message)))
  })
})

