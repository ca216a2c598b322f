// The built-in app-server on a read-only state database (issue 11.6): one line naming the file,
// the SQLite class and the fix, exit 9 (was: an uncaught SQLITE_READONLY and a stack trace).
// Needs root (a read-only bind mount of the database file); skipped with the reason otherwise.
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {after, describe, test} from 'node:test'
import {killGroup, runCodexd} from '../src/ground/harness/processes.js'
import {tempHome} from '../src/ground/harness/home.js'
import {exitOf} from './support/proxy-stdio.js'
import {startBuiltinServer} from './support/builtin-server.js'

const SKIP = process.getuid?.() === 0 ? false : 'a read-only bind mount needs root: run the suite as root to include it'

describe('the built-in app-server on a read-only state database', {timeout: 60_000, skip: SKIP}, () => {
  const home = tempHome('codexd-robust-ro-')
  let mounted = false
  after(() => {
    if (mounted) spawnSync('umount', [home.paths.builtinDb])
    home.remove()
  })

  test('exits 9 with one line naming the file, SQLITE_READONLY and the fix; no stack trace', async () => {
    const first = await startBuiltinServer(home)
    killGroup(first.child.pid, 'SIGTERM')
    await exitOf(first.child)
    for (const args of [['--bind', home.paths.builtinDb, home.paths.builtinDb], ['-o', 'remount,bind,ro', home.paths.builtinDb]]) {
      const result = spawnSync('mount', args, {encoding: 'utf8'})
      assert.equal(result.status, 0, result.stderr)
      mounted = true
    }
    const run = await runCodexd(['app-server', '--listen', 'unix://'], home.env, {timeout: 30_000})
    assert.equal(run.code, 9, run.stderr)
    const lines = run.stderr.trim().split('\n')
    assert.equal(lines.length, 1, run.stderr)
    assert.equal(lines[0], `codexd: cannot write state database ${home.paths.builtinDb}: it is read-only (SQLITE_READONLY): make it and ${home.paths.codexdDir} writable by you, or remount that filesystem read-write`)
  })
})
