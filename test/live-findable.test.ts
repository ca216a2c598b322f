// The supervisor is always findable and stoppable (issue 11, point 3): whatever happens to its
// control socket or its directory, the holder of the instance lock is the live supervisor;
// clients find it through that lock, the supervisor binds its socket again, a live supervisor's
// child is never reaped as an orphan, and a deleted home is never re-created.
import assert from 'node:assert/strict'
import {existsSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync} from 'node:fs'
import {after, describe, it} from 'node:test'
import {runCodexd} from '../src/ground/harness/processes.js'
import {lockHolderAt} from '../src/ground/lock/holders.js'
import {isRunning, startAndTrack, status, supervisedHome, waitForStatus, waitGone} from './support/supervisor-home.js'

describe('the supervisor binds its control socket again', {timeout: 120_000}, () => {
  // A slow probe: the watcher is what reacts.
  const home = supervisedHome('builtin', {CODEXD_PROBE_INTERVAL_MS: '60000'})
  after(() => home.cleanup())

  it('supervisor.sock removed: the same supervisor answers again, its child untouched', async () => {
    const before = await startAndTrack(home)
    unlinkSync(home.paths.supervisorSocket)
    const report = await waitForStatus(home.env, (r) => r.supervisor?.pid === before.supervisor!.pid, 'the supervisor answering again', 20_000)
    assert.equal(report.child?.pid, before.child!.pid)
    assert.equal(report.child?.state, 'running')
    assert.ok(report.events.some((event) => event.kind === 'control-socket-recreated'))
  })

  it('codexd/ deleted: re-created, the instance lock taken again on the new file, and start finds the same supervisor', async () => {
    const before = (await status(home.env)).report
    const aside = `${home.paths.codexdDir}.removed`
    renameSync(home.paths.codexdDir, aside)
    rmSync(aside, {recursive: true, force: true})
    const report = await waitForStatus(home.env, (r) => r.supervisor?.pid === before.supervisor!.pid, 'the supervisor answering again', 20_000)
    assert.equal(report.child?.pid, before.child!.pid)
    assert.equal(lockHolderAt(home.paths.supervisorInstanceLock), before.supervisor!.pid, 'the new lock file is held by the live supervisor')
    const started = await runCodexd(['start'], home.env)
    assert.equal(started.code, 0, started.stderr)
    const after = (await status(home.env)).report
    assert.equal(after.supervisor?.pid, before.supervisor!.pid, 'no second supervisor')
    assert.equal(after.child?.pid, before.child!.pid)
  })
})

describe('a regular file put at the socket path while a supervisor runs', {timeout: 120_000}, () => {
  const home = supervisedHome('builtin', {CODEXD_PROBE_INTERVAL_MS: '300'})
  after(() => home.cleanup())

  it('status names the live supervisor through its lock; stop stops it and its child and keeps the file', async () => {
    const before = await startAndTrack(home)
    const supervisorPid = before.supervisor!.pid
    const childPid = before.child!.pid!
    // Replaced atomically: the supervisor never sees the path empty.
    const planted = `${home.paths.supervisorSocket}.planted`
    writeFileSync(planted, 'not a socket\n')
    renameSync(planted, home.paths.supervisorSocket)
    const {code, report} = await status(home.env)
    assert.equal(code, 4, JSON.stringify(report))
    assert.equal(report.state, 'unreachable')
    assert.match(report.message ?? '', new RegExp(`pid ${supervisorPid}`))
    // Several probe periods: the child is not disturbed, nothing reaps it.
    await new Promise((resolve) => setTimeout(resolve, 1500))
    assert.ok(isRunning(childPid))
    const stopped = await runCodexd(['stop', '--grace', '2000'], home.env)
    assert.equal(stopped.code, 0, stopped.stderr)
    await waitGone([supervisorPid, childPid], 'the supervisor and its child')
    assert.equal(readFileSync(home.paths.supervisorSocket, 'utf8'), 'not a socket\n', 'the regular file is kept')
  })
})

describe('the whole home deleted under a running supervisor', {timeout: 120_000}, () => {
  const home = supervisedHome('builtin', {CODEXD_PROBE_INTERVAL_MS: '300'})
  after(() => home.cleanup())

  it('the supervisor shuts down cleanly (child ended) and never re-creates the home', async () => {
    const before = await startAndTrack(home)
    // The home's path vanishes at once (a rename away, then the removal): a recursive delete of a
    // live home instead races the supervisor's repair of a deleted codexd/ (docs/reliability.md).
    const moved = `${home.home}.deleted`
    renameSync(home.home, moved)
    try {
      await waitGone([before.supervisor!.pid, before.child!.pid!], 'the supervisor and its child', 30_000)
      await new Promise((resolve) => setTimeout(resolve, 500))
      assert.equal(existsSync(home.home), false, 'the home was not re-created')
    } finally {
      rmSync(moved, {recursive: true, force: true, maxRetries: 5})
    }
  })
})
