import assert from 'node:assert/strict'
import {after, describe, test} from 'node:test'
import {tempHome} from '../src/ground/harness/home.js'
import {finished, killAllStarted, spawnCodexd, waitFor} from '../src/ground/harness/processes.js'
import {launchStorm} from './support/storm.js'
import {listenerCount} from './support/unix-listeners.js'

const STORM = 32

describe('32 concurrent `codexd app-server --listen unix://` on one CODEX_HOME', () => {
  after(killAllStarted)

  test('a fresh home ends with one listener, 31 duplicate-launch errors and a clean database', async () => {
    const home = tempHome()
    try {
      const result = await launchStorm(home, STORM)
      assert.deepEqual(result.otherFailures, [], 'every loser exits 6 with the duplicate-launch message')
      assert.equal(result.listeners, 1, 'exactly one listening socket at the control path (orphans included)')
      assert.equal(result.survivors.length, 1, 'exactly one server process keeps running')
      assert.equal(result.duplicateErrors, STORM - 1)
      assert.deepEqual(result.stateErrors, [], 'no SQLite, migration or EADDRINUSE error')
      assert.equal(result.integrity, 'ok')
      assert.equal(result.runsRecorded, 1, 'no duplicate launch touched the state database')
      for (const survivor of result.survivors) survivor.kill('SIGTERM')
    } finally {
      killAllStarted()
      home.remove()
    }
  })

  test('over a stale socket left by kill -9: the stale socket is replaced, one listener survives', async () => {
    const home = tempHome()
    try {
      const first = spawnCodexd(['app-server', '--listen', 'unix://'], home.env)
      let stderr = ''
      first.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
      await waitFor(() => stderr.includes('listening on'), {what: 'the first server to listen'})
      first.kill('SIGKILL')
      await finished(first)
      assert.equal(listenerCount(home.paths.appServerSocket), 0, 'the killed server no longer listens')

      const result = await launchStorm(home, STORM)
      assert.deepEqual(result.otherFailures, [])
      assert.equal(result.listeners, 1)
      assert.equal(result.survivors.length, 1)
      assert.equal(result.duplicateErrors, STORM - 1)
      assert.deepEqual(result.stateErrors, [])
      assert.equal(result.integrity, 'ok')
      assert.equal(result.runsRecorded, 1)
    } finally {
      killAllStarted()
      home.remove()
    }
  })
})
