import assert from 'node:assert/strict'
import {existsSync, mkdirSync} from 'node:fs'
import {after, describe, test} from 'node:test'
import {holdLockWithFlockCommand} from '../src/ground/harness/flock-holder.js'
import {lockHolderPids} from './support/lock-holders.js'
import {killGroup, runCodexd} from '../src/ground/harness/processes.js'
import {homeProcesses, supervisedHome, waitGone, type SupervisedHome} from './support/supervisor-home.js'

/** A lock held forever by a hung flock(1): every command gives up after its timeout and names the holder. */
describe('a lock held forever by another process', () => {
  const homes: SupervisedHome[] = []
  const fresh = () => {
    const home = supervisedHome('builtin')
    homes.push(home)
    mkdirSync(home.paths.codexdDir, {mode: 0o700})
    mkdirSync(home.paths.controlDir, {mode: 0o700})
    return home
  }
  after(async () => {
    for (const home of homes) await home.cleanup()
  })

  test("codexd's supervisor lock: start gives up after --timeout (exit 5), naming the lock file and the holder's pid; nothing started", async () => {
    const home = fresh()
    const holder = await holdLockWithFlockCommand(home.paths.supervisorLock)
    try {
      const started = await runCodexd(['start', '--timeout', '1500'], home.env)
      assert.equal(started.code, 5)
      assert.equal(started.stderr.replace(/after \d+ ms/, 'after N ms'), `codexd: timed out after N ms waiting for codexd's supervisor lock at ${home.paths.supervisorLock} (held by pid ${holder.pid}): stop that process or retry\n`)
      assert.deepEqual(homeProcesses(home.home), [], 'no supervisor was started')
      assert.deepEqual(lockHolderPids(home.paths.supervisorLock), [holder.pid], 'the holder keeps its lock: codexd never breaks it')
    } finally {
      killGroup(holder.pid)
    }
  })

  test('the app-server startup lock: start gives up after --timeout (exit 8) naming the holder; stop still ends everything', async () => {
    const home = fresh()
    const holder = await holdLockWithFlockCommand(home.paths.startupLock)
    try {
      const started = await runCodexd(['start', '--timeout', '4000'], home.env)
      assert.equal(started.code, 8)
      assert.equal(started.stderr.trim().split('\n').length, 1, 'one line')
      assert.match(started.stderr, /^codexd: the app-server did not answer initialize in time/)
      assert.ok(started.stderr.includes(`waiting for the startup lock at ${home.paths.startupLock} (held by pid ${holder.pid})`), started.stderr)
      assert.ok(started.stderr.includes(home.paths.supervisorLog), 'names the log')

      const stopped = await runCodexd(['stop', '--grace', '1000'], home.env)
      assert.equal(stopped.code, 0, stopped.stderr)
      await waitGone(homeProcesses(home.home).map((process) => process.pid), 'the supervisor and its waiting child')
      assert.deepEqual(homeProcesses(home.home), [])
      assert.ok(existsSync(home.paths.startupLock), 'the lock file is never deleted')
      assert.deepEqual(lockHolderPids(home.paths.startupLock), [holder.pid], 'and never broken')
    } finally {
      killGroup(holder.pid)
    }
  })

  test("the supervisor's instance lock: start fails (exit 8) and run refuses (exit 6), both naming the holder's pid", async () => {
    const home = fresh()
    const holder = await holdLockWithFlockCommand(home.paths.supervisorInstanceLock)
    try {
      const started = await runCodexd(['start', '--timeout', '20000'], home.env)
      assert.equal(started.code, 8)
      assert.equal(started.stderr.trim().split('\n').length, 1, 'one line')
      assert.ok(started.stderr.includes(`held by pid ${holder.pid}`), started.stderr)
      const run = await runCodexd(['run'], home.env)
      assert.equal(run.code, 6)
      assert.ok(run.stderr.includes(`held by pid ${holder.pid}`), run.stderr)
      assert.deepEqual(homeProcesses(home.home), [])
    } finally {
      killGroup(holder.pid)
    }
  })
})
