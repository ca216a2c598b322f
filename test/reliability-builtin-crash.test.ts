import assert from 'node:assert/strict'
import {existsSync, lstatSync} from 'node:fs'
import {after, describe, test} from 'node:test'
import {startBuiltinServer} from './support/builtin-server.js'
import {tempHome} from '../src/ground/harness/home.js'
import {lockHolderPids} from './support/lock-holders.js'
import {finished, killAllStarted, killGroup, spawnCodexd, waitFor} from '../src/ground/harness/processes.js'
import {processesUsingHome} from './support/proxy-stdio.js'
import {checkDatabase, queryDatabase} from './support/sqlite-check.js'
import {listenerCount} from './support/unix-listeners.js'
import {RpcClient} from './support/ws-client.js'

/** The startup phases of the built-in app-server, in order (src/ground/startup/serialized-startup.ts, src/ground/state/database.ts). */
const PHASES = ['after-lock', 'after-prepare', 'during-migration', 'after-state', 'after-bind'] as const

describe('kill -9 of the built-in app-server at each startup phase', () => {
  after(killAllStarted)

  for (const phase of PHASES) {
    test(`${phase}: the lock was held and is released by the kernel; the next start serves; the database is sound`, async () => {
      const home = tempHome()
      try {
        // A stale socket from an earlier kill -9, so preparing the path has work to do; a fresh
        // home for during-migration, so there is a migration to crash in.
        const fresh = phase === 'during-migration'
        if (!fresh) await serveOnce(home, 'SIGKILL')
        const crashed = spawnCodexd(['app-server', '--listen', 'unix://'], {...home.env, CODEXD_TEST_FAULT: `${phase}:hang`})
        let stderr = ''
        crashed.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
        await waitFor(() => stderr.includes(`codexd test fault: hanging at ${phase}`), {timeoutMs: 30_000, what: `the server to reach ${phase}`})
        assert.deepEqual(lockHolderPids(home.paths.startupLock), [crashed.pid], 'the server holds the startup lock at this phase')

        killGroup(crashed.pid, 'SIGKILL')
        assert.equal((await finished(crashed)).signal, 'SIGKILL')

        assert.ok(existsSync(home.paths.startupLock), 'the lock file is never deleted')
        assert.deepEqual(lockHolderPids(home.paths.startupLock), [], 'the kernel released the lock')
        assert.equal(listenerCount(home.paths.appServerSocket), 0, 'nothing listens')
        assertSocketPathSane(home.paths.appServerSocket)
        const crashedDb = await checkDatabase(home.paths.builtinDb)
        assert.equal(crashedDb.integrity, 'ok')
        if (fresh) {
          assert.equal(crashedDb.userVersion, 0, 'the interrupted migration never committed')
          assert.deepEqual(crashedDb.tables, [], 'no table of the uncommitted migration survives')
        } else assert.equal(crashedDb.userVersion, 1, 'the migration of the first run is intact')
        assert.deepEqual(processesUsingHome(home.home), [], 'no stray process')

        // The next start serves; the crashed run (if it got that far) stays recorded, unfinished.
        await serveOnce(home, 'SIGTERM', async () => {
          const client = await RpcClient.connect(home.paths.appServerSocket)
          await client.initialize()
          assert.deepEqual((await client.request('codexd/echo', {phase})).result, {phase})
          client.close()
          assert.equal(listenerCount(home.paths.appServerSocket), 1)
        })
        const recovered = await checkDatabase(home.paths.builtinDb)
        assert.equal(recovered.integrity, 'ok')
        assert.equal(recovered.userVersion, 1)
        assert.deepEqual(recovered.tables, ['server_runs', 'sessions'])
        const unfinished = await queryDatabase<{n: number}>(home.paths.builtinDb, 'SELECT count(*) AS n FROM server_runs WHERE stopped_at IS NULL')
        const crashedAfterState = phase === 'after-state' || phase === 'after-bind'
        const expected = (fresh ? 0 : 1) + (crashedAfterState ? 1 : 0)
        assert.equal(unfinished[0].n, expected, 'runs killed after recording themselves stay unfinished; the clean stop is recorded')
        assert.deepEqual(processesUsingHome(home.home), [], 'no stray process')
      } finally {
        killAllStarted()
        home.remove()
      }
    })
  }
})

/** Starts the built-in server, runs `use`, then ends it with `signal` (SIGKILL leaves a stale socket). */
async function serveOnce(home: ReturnType<typeof tempHome>, signal: 'SIGKILL' | 'SIGTERM', use?: () => Promise<void>): Promise<void> {
  const server = await startBuiltinServer(home)
  try {
    await use?.()
  } finally {
    killGroup(server.child.pid, signal)
    await finished(server.child)
  }
}

/** The socket path is absent or a (stale) socket: never a file of another kind. */
function assertSocketPathSane(path: string): void {
  if (!existsSync(path)) return
  assert.ok(lstatSync(path).isSocket(), `${path} is a socket`)
}
