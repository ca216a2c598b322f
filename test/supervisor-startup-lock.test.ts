import assert from 'node:assert/strict'
import {closeSync, openSync} from 'node:fs'
import {after, describe, it} from 'node:test'
import {lockHolders} from '../src/ground/lock/flock.js'
import {spawnCodexd, waitFor} from '../src/ground/harness/processes.js'
import {fixtureCommand, status, supervisedHome, waitForStatus} from './support/supervisor-home.js'

/** Who holds app-server-startup.lock right now (from /proc/locks). */
function startupLockHolders(path: string): number[] {
  let fd: number
  try {
    fd = openSync(path, 'r')
  } catch {
    return [] // not created yet
  }
  try {
    return lockHolders(fd)
  } finally {
    closeSync(fd)
  }
}

describe('the startup lock and lock-unaware children', () => {
  const home = supervisedHome(fixtureCommand('never-bind'), {CODEXD_READY_TIMEOUT_MS: '60000'})
  after(() => home.cleanup())

  it('codexd holds app-server-startup.lock from spawn until the child answers initialize', async () => {
    spawnCodexd(['start'], home.env)
    const report = await waitForStatus(home.env, (r) => r.child?.state === 'starting' && r.child.pid !== null, 'the lock-unaware child to be starting')
    assert.equal(report.child?.lockAware, false)
    assert.deepEqual(startupLockHolders(home.paths.startupLock), [report.supervisor!.pid])
  })

  it('a lock-aware launch by hand waits for that window instead of racing the child', async () => {
    const other = spawnCodexd(['app-server', '--listen', 'unix://', '--lock-timeout', '60000'], home.env)
    let stderr = ''
    other.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    await waitFor(() => /waiting for the startup lock/.test(stderr), {what: 'the hand-started server to wait for the lock'})
    other.kill('SIGKILL')
  })
})

describe('the startup lock and lock-aware children', () => {
  // The built-in child stops forever right after taking the lock (a test fault point).
  const home = supervisedHome('builtin', {CODEXD_TEST_FAULT: 'after-lock:hang', CODEXD_READY_TIMEOUT_MS: '60000'})
  after(() => home.cleanup())

  it('codexd never holds the lock itself: only the child does while it starts', async () => {
    spawnCodexd(['start'], home.env)
    const report = await waitForStatus(home.env, (r) => r.child?.state === 'starting' && r.child.pid !== null, 'the built-in child to be starting')
    const holders = await waitFor(() => {
      const pids = startupLockHolders(home.paths.startupLock)
      return pids.length > 0 ? pids : undefined
    }, {what: 'the child to take the lock'})
    assert.deepEqual(holders, [report.child!.pid])
    assert.ok(!holders.includes(report.supervisor!.pid))
    assert.equal((await status(home.env)).code, 4, 'not running before initialize')
  })
})


describe('the startup lock after a lock-unaware child answered', () => {
  const home = supervisedHome(fixtureCommand('serve'))
  after(() => home.cleanup())

  it('is released once the child answered initialize (the lock covers only the startup window)', async () => {
    const {runCodexd} = await import('../src/ground/harness/processes.js')
    const started = await runCodexd(['start'], home.env)
    assert.equal(started.code, 0, started.stderr)
    const {report} = await status(home.env)
    assert.equal(report.child?.lockAware, false)
    assert.equal(report.child?.state, 'running')
    assert.deepEqual(startupLockHolders(home.paths.startupLock), [])
  })
})
