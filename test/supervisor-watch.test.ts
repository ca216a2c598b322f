import assert from 'node:assert/strict'
import {existsSync, renameSync, rmSync, statSync, unlinkSync} from 'node:fs'
import {createServer, type Server} from 'node:net'
import {after, describe, it} from 'node:test'
import {runCodexd, spawnCodexd, waitFor} from '../src/ground/harness/processes.js'
import {isRunning, startAndTrack, status, supervisedHome, waitForStatus} from './support/supervisor-home.js'
import {listenerCount} from './support/unix-listeners.js'
import {RpcClient} from './support/ws-client.js'

async function canInitialize(socket: string): Promise<boolean> {
  try {
    const client = await RpcClient.connect(socket)
    await client.initialize()
    client.close()
    return true
  } catch {
    return false
  }
}

describe('watching the control directory', () => {
  // A slow probe, so the watcher (not the timer) is what reacts.
  const home = supervisedHome('builtin', {CODEXD_PROBE_INTERVAL_MS: '60000'})
  after(() => home.cleanup())

  it('the socket file removed while the child lives: the child is restarted and clients reach it again', async () => {
    const report = await startAndTrack(home)
    unlinkSync(home.paths.appServerSocket)
    const restarted = await waitForStatus(home.env, (r) => r.child?.state === 'running' && r.child.pid !== report.child!.pid, 'a restarted child')
    assert.equal(isRunning(report.child!.pid!), false)
    assert.ok(restarted.events.some((event) => event.kind === 'socket-removed' && event.message.includes(home.paths.appServerSocket)))
    assert.match(restarted.lastExit?.reason ?? '', /restarted: the socket file .* was removed/)
    assert.ok(await canInitialize(home.paths.appServerSocket))
    assert.equal(listenerCount(home.paths.appServerSocket), 1, 'the old listener is gone, not orphaned')
  })

  it('the startup lock file removed: recreated with mode 0600', async () => {
    unlinkSync(home.paths.startupLock)
    await waitFor(() => existsSync(home.paths.startupLock), {what: 'the lock file to be recreated'})
    assert.equal(statSync(home.paths.startupLock).mode & 0o777, 0o600)
    const report = await waitForStatus(home.env, (r) => r.events.some((event) => event.kind === 'lock-recreated'), 'the lock-recreated event')
    assert.equal(report.child?.state, 'running', 'the child was not disturbed')
  })

  it('the control directory removed: recreated 0700 with its lock file, and the child restarted onto it', async () => {
    const before = (await status(home.env)).report
    // Renamed away (atomic), then deleted: the supervisor sees the directory vanish at once.
    const aside = `${home.paths.controlDir}.removed`
    renameSync(home.paths.controlDir, aside)
    rmSync(aside, {recursive: true, force: true})
    const report = await waitForStatus(home.env, (r) => r.child?.state === 'running' && r.child.pid !== before.child!.pid, 'a child restarted in the recreated directory')
    assert.equal(statSync(home.paths.controlDir).mode & 0o777, 0o700)
    assert.ok(existsSync(home.paths.startupLock))
    assert.ok(report.events.some((event) => event.kind === 'control-dir-recreated'))
    assert.ok(await canInitialize(home.paths.appServerSocket))
  })
})

describe('another listener on the app-server socket', () => {
  const home = supervisedHome('builtin', {CODEXD_PROBE_INTERVAL_MS: '200'})
  after(() => home.cleanup())

  it('a child that exits "already in use" is a duplicate launch: status names the unmanaged listener, no crash-loop', async () => {
    const other = spawnCodexd(['app-server', '--listen', 'unix://'], home.env)
    await waitFor(() => canInitialize(home.paths.appServerSocket), {what: 'the hand-started app-server'})
    const started = await runCodexd(['start'], home.env)
    assert.equal(started.code, 6, started.stderr)
    assert.match(started.stderr, new RegExp(`a codexd app-server started by hand \\(pid ${other.pid}\\) serves`))
    const {code, report} = await status(home.env)
    assert.equal(code, 6, 'served, but not by codexd (docs/codex-daemon.md)')
    assert.equal(report.child?.state, 'unmanaged')
    assert.equal(report.unmanagedListener?.pid, other.pid)
    assert.ok(report.events.some((event) => event.kind === 'duplicate-launch'))
    // Several probe periods pass; the supervisor must not keep launching duplicates.
    await new Promise((resolve) => setTimeout(resolve, 1500))
    const later = (await status(home.env)).report
    assert.equal(later.child?.state, 'unmanaged')
    assert.equal(later.restarts, 0, 'exactly one launch')
    assert.equal(listenerCount(home.paths.appServerSocket), 1)

    other.kill('SIGTERM')
    const taken = await waitForStatus(home.env, (r) => r.child?.state === 'running', 'codexd to take over once the listener is gone')
    assert.equal(taken.unmanagedListener, null)
    assert.ok(taken.events.some((event) => event.kind === 'listener-gone'))
  })

  it('the probe finds a process other than our child answering on the socket: it records it and stops competing', async () => {
    const before = (await status(home.env)).report
    assert.equal(before.child?.state, 'running')
    // Replace the socket file under the child: our child still listens on its unlinked socket,
    // but every connect now reaches this process.
    unlinkSync(home.paths.appServerSocket)
    const foreign: Server = createServer((socket) => socket.end())
    await new Promise<void>((resolve) => foreign.listen(home.paths.appServerSocket, resolve))
    try {
      const report = await waitForStatus(home.env, (r) => r.unmanagedListener !== null, 'the supervisor to stop competing')
      assert.equal(report.child?.state, 'unmanaged')
      assert.equal(report.unmanagedListener?.pid, process.pid)
      assert.equal(isRunning(before.child!.pid!), false, 'our child was stopped')
      // Found by the probe (our child still listened on its unlinked socket), not by a duplicate launch.
      assert.ok(report.events.some((event) => event.kind === 'unmanaged-listener' && event.message.includes(`pid ${process.pid} (not our child ${before.child!.pid})`)))
      assert.equal(report.restarts, before.restarts, 'no new launch was needed to notice it')
      assert.ok(existsSync(home.paths.appServerSocket), "stopping our child did not delete the other listener's socket file")
    } finally {
      await new Promise<void>((resolve) => foreign.close(() => resolve()))
    }
    const back = await waitForStatus(home.env, (r) => r.child?.state === 'running', 'codexd to start its child again')
    assert.ok(await canInitialize(home.paths.appServerSocket))
    assert.equal(back.unmanagedListener, null)
  })
})
