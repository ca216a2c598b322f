// Tests of existing guarantees that no test could fail before (issue 11): each was seen failing
// with the guarantee broken in the source.
import assert from 'node:assert/strict'
import {existsSync, mkdirSync, unlinkSync} from 'node:fs'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'
import {homePaths} from '../src/ground/home/codex-home.js'
import {connectPathFor} from '../src/ground/home/socket-path.js'
import {killGroup, runCodexd, spawnCodexd, spawnTracked, trackPid, waitFor} from '../src/ground/harness/processes.js'
import {liveSupervisorPid} from '../src/ground/supervisor-state/holder.js'
import {SupervisorStore} from '../src/ground/supervisor-state/store.js'
import {fixtureCommand, homeProcesses, isRunning, startAndTrack, status, supervisedHome, waitForStatus, waitGone} from './support/supervisor-home.js'
import {RpcClient} from './support/ws-client.js'

describe('the orphan identity check', {timeout: 120_000}, () => {
  const home = supervisedHome('builtin')
  after(() => home.cleanup())

  it('a live unrelated process that reused a recorded child\'s pid (another start time) survives stop and the next supervisor', async () => {
    // The "unrelated process": its own process group leader, like a real child would be.
    const unrelated = spawnTracked('sleep', ['300'])
    const pid = unrelated.pid!
    mkdirSync(home.paths.codexdDir, {recursive: true, mode: 0o700})
    const {store} = await SupervisorStore.open(home.paths.supervisorDb)
    // A supervisor run that died with its spawn still open, recorded with another start time.
    await store.beginRun(999_999, 'builtin')
    await store.recordSpawn({kind: 'builtin', version: '0.1.0', describe: 'a dead run', lockAware: true, pid, startTicks: '1'})
    await store.close()
    const stopped = await runCodexd(['stop', '--grace', '500'], home.env)
    assert.equal(stopped.code, 0, stopped.stderr)
    assert.ok(isRunning(pid), 'stop left the unrelated process alone')
    await startAndTrack(home)
    assert.ok(isRunning(pid), 'the next supervisor left the unrelated process alone')
  })
})

describe('stop racing a starting supervisor', {timeout: 240_000}, () => {
  const home = supervisedHome('builtin')
  after(() => home.cleanup())

  it('whatever the order, stop exits 0 and never leaves a child, or a socket file, without a live supervisor', async () => {
    for (let round = 0; round < 6; round++) {
      const start = spawnCodexd(['start'], home.env)
      // Stops at different moments of the start: before the supervisor exists, while it takes its
      // lock, while its child starts.
      await new Promise((resolve) => setTimeout(resolve, round * 150))
      const stopped = await runCodexd(['stop', '--grace', '1000'], home.env)
      assert.equal(stopped.code, 0, `round ${round}: ${stopped.stderr}`)
      await new Promise<void>((resolve) => (start.exitCode !== null || start.signalCode !== null ? resolve() : start.once('exit', () => resolve())))
      const supervisor = liveSupervisorPid(home.paths)
      if (supervisor === null) {
        // Give a dying child its moment, then nothing of the home may run and no socket remain.
        await waitFor(() => homeProcesses(home.home).length === 0, {timeoutMs: 10_000, what: `round ${round}: no process of the home`})
        assert.equal(existsSync(home.paths.supervisorSocket), false, `round ${round}: supervisor.sock left behind`)
        assert.equal(existsSync(home.paths.appServerSocket), false, `round ${round}: app-server socket left behind`)
      } else {
        // The start came after the stop: a whole supervisor runs; stop it for the next round.
        const again = await runCodexd(['stop', '--grace', '1000'], home.env)
        assert.equal(again.code, 0, again.stderr)
        assert.equal(isRunning(supervisor), false)
      }
    }
  })
})

describe('stop while a supervisor is between taking its lock and binding its socket', {timeout: 60_000}, () => {
  const home = supervisedHome('builtin', {CODEXD_TEST_FAULT: 'supervisor-after-lock:hang'})
  after(() => home.cleanup())

  it('stop finds it through the instance lock and ends it, instead of saying nothing runs', async () => {
    const supervisor = spawnCodexd(['run'], home.env)
    let stderr = ''
    supervisor.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    await waitFor(() => stderr.includes('hanging at supervisor-after-lock'), {timeoutMs: 20_000, what: 'the supervisor to hold its lock'})
    assert.equal(existsSync(home.paths.supervisorSocket), false, 'no control socket yet')
    const stopped = await runCodexd(['stop', '--grace', '500', '--json'], home.env)
    assert.equal(stopped.code, 0, stopped.stderr)
    assert.equal(JSON.parse(stopped.stdout).supervisorPid, supervisor.pid)
    await waitGone([supervisor.pid!], 'the starting supervisor')
  })
})

describe('the periodic probe restarts a child whose socket vanished where the watcher cannot see it', {timeout: 120_000}, () => {
  // A home too long for a unix socket: the real socket lives under the runtime dir, and the
  // watcher (which watches the home) never sees it go.
  const home = supervisedHome('builtin', {CODEXD_PROBE_INTERVAL_MS: '200'})
  const longHome = join(home.home, 'n'.repeat(60), 'm'.repeat(60))
  const env = {...home.env, CODEX_HOME: longHome}
  const paths = homePaths(longHome)
  after(async () => {
    await runCodexd(['stop', '--grace', '500'], env).catch(() => {})
    for (const process of homeProcesses(longHome)) killGroup(process.pid)
    await home.cleanup()
  })

  it('the real socket under the runtime dir removed: a new child serves', async () => {
    mkdirSync(longHome, {recursive: true})
    const started = await runCodexd(['start'], env)
    assert.equal(started.code, 0, started.stderr)
    const before = (await status(env)).report
    trackPid(before.supervisor!.pid)
    const real = connectPathFor(paths.appServerSocket)
    assert.notEqual(real, paths.appServerSocket, 'the socket lives at a short path')
    unlinkSync(real)
    const after = await waitForStatus(env, (r) => r.child?.state === 'running' && r.child.pid !== before.child!.pid, 'a new child', 30_000)
    assert.ok(after.events.some((event) => event.kind === 'socket-removed'))
    const client = await RpcClient.connect(paths.appServerSocket)
    assert.ok(await client.initialize())
    client.close()
  })
})

describe('the pause after a stable run', {timeout: 90_000}, () => {
  // Serves 800 ms (stable after 300 ms), exits 7; the pause after a stable run is 1500 ms.
  const home = supervisedHome(fixtureCommand('serve'), {FIXTURE_SERVE_MS: '800', CODEXD_STABLE_MS: '300', CODEXD_BACKOFF_MIN_MS: '1500', CODEXD_BACKOFF_MAX_MS: '5000', CODEXD_CRASH_LOOP_COUNT: '50'})
  after(() => home.cleanup())

  it('each respawn after a stable run comes at least serve time + the minimum backoff after the previous spawn', async () => {
    await startAndTrack(home)
    const spawned = await waitFor(async () => {
      const times = await spawnTimes(home.paths.supervisorDb)
      return times.length >= 3 ? times : undefined
    }, {timeoutMs: 30_000, intervalMs: 200, what: 'three spawns'})
    const gaps = spawned.slice(1, 3).map((at, index) => at - spawned[index])
    for (const gap of gaps) assert.ok(gap >= 800 + 1500, `a respawn came ${gap} ms after the previous spawn: gaps ${gaps}`)
  })
})

/** When each child was spawned (ms since the epoch), from the supervisor's state database. */
async function spawnTimes(database: string): Promise<number[]> {
  const store = await SupervisorStore.openForReading(database)
  if (!store) return []
  try {
    const rows = await store.db.all<{spawnedAt: string}>('SELECT spawned_at AS spawnedAt FROM child_spawns ORDER BY id')
    return rows.map((row) => Date.parse(row.spawnedAt))
  } finally {
    await store.close()
  }
}
