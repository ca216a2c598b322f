import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {existsSync} from 'node:fs'
import {join} from 'node:path'
import {after, describe, test} from 'node:test'
import {tempHome} from '../harness/home.js'
import {holdLockWithFlockCommand} from '../harness/flock-holder.js'
import {finished, killAllStarted, killGroup, waitFor} from '../harness/processes.js'
import {CodexdError} from '../errors/codexd-error.js'
import {ExitCode} from '../errors/exit-codes.js'
import {acquireLock} from './flock.js'

describe('startup lock (flock(2), the primitive codex uses)', () => {
  after(killAllStarted)

  test('codexd waits while flock(1) holds the file, and takes it once released', async () => {
    const home = tempHome()
    try {
      const path = join(home.home, 'test.lock')
      const holder = await holdLockWithFlockCommand(path)
      let waited = false
      let acquired = false
      const pending = acquireLock(path, {timeoutMs: 30_000, onWait: () => (waited = true)}).then((lock) => {
        acquired = true
        return lock
      })
      await waitFor(() => waited, {what: 'codexd to start waiting'})
      assert.equal(acquired, false, 'codexd must not get the lock while flock(1) holds it')
      killGroup(holder.pid)
      const lock = await pending
      assert.equal(acquired, true)
      lock.release()
      assert.ok(existsSync(path), 'the lock file is never deleted')
    } finally {
      home.remove()
    }
  })

  test('flock(1) cannot take the file while codexd holds it, and can after release', async () => {
    const home = tempHome()
    try {
      const path = join(home.home, 'test.lock')
      const lock = await acquireLock(path, {timeoutMs: 1000})
      const busy = await finished(spawn('flock', ['--nonblock', path, 'true']))
      assert.equal(busy.code, 1, 'flock -n fails: codexd holds the lock')
      lock.release()
      const free = await finished(spawn('flock', ['--nonblock', path, 'true']))
      assert.equal(free.code, 0, 'flock -n succeeds after release')
      assert.ok(existsSync(path))
    } finally {
      home.remove()
    }
  })

  test('a bounded wait fails with a message naming the lock file and the holder pid', async () => {
    const home = tempHome()
    try {
      const path = join(home.home, 'test.lock')
      const holder = await holdLockWithFlockCommand(path)
      const error = await acquireLock(path, {timeoutMs: 200, purpose: 'the app-server startup lock'}).then(() => undefined, (e: unknown) => e)
      assert.ok(error instanceof CodexdError)
      assert.equal(error.exitCode, ExitCode.LockTimeout)
      assert.match(error.message, new RegExp(`waiting for the app-server startup lock at ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(held by pid ${holder.pid}\\)`))
      assert.equal(error.message.includes('\n'), false, 'one line')
    } finally {
      killAllStarted()
      home.remove()
    }
  })

  test('the kernel releases the lock when its holder dies (kill -9)', async () => {
    const home = tempHome()
    try {
      const path = join(home.home, 'test.lock')
      const holder = await holdLockWithFlockCommand(path)
      killGroup(holder.pid)
      await finished(holder)
      const lock = await acquireLock(path, {timeoutMs: 5000})
      lock.release()
      assert.ok(existsSync(path))
    } finally {
      home.remove()
    }
  })
})
