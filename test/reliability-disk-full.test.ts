// A full disk under CODEX_HOME (issue 6): a real tmpfs of a few MiB mounted on the home and
// filled up. codexd must say so in one line with a documented exit code, keep a running
// supervisor serving, leave sound databases behind, and serve again once space is freed.
// Needs root (mount); skipped with the reason otherwise.
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {appendFileSync, mkdtempSync, rmdirSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, describe, test} from 'node:test'
import {runCodexd, type Finished} from '../src/ground/harness/processes.js'
import {checkDatabase} from './support/sqlite-check.js'
import {homeProcesses, status, supervisedHome, waitForStatus, type SupervisedHome} from './support/supervisor-home.js'

/** False when this machine can mount a tmpfs, else why not (the reason the tests are skipped). */
function cannotMount(): string | false {
  if (process.getuid?.() !== 0) return 'mounting a small tmpfs needs root: run the suite as root to include it'
  const probe = mkdtempSync(join(tmpdir(), 'codexd-tmpfs-probe-'))
  try {
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe], {encoding: 'utf8'})
    if (mounted.status !== 0) return `cannot mount a tmpfs here: ${(mounted.stderr || mounted.error?.message || '').trim()}`
    spawnSync('umount', [probe])
    return false
  } finally {
    rmdirSync(probe)
  }
}
const SKIP = cannotMount()

/** A supervised home whose directory is a fresh tmpfs of `size` (mode 0700); unmounted on cleanup. */
const homes: SupervisedHome[] = []
function homeOnTmpfs(size: string): SupervisedHome {
  const made = supervisedHome('builtin')
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0700`, 'tmpfs', made.home], {encoding: 'utf8'})
  assert.equal(mounted.status, 0, mounted.stderr)
  homes.push(made)
  return made
}

/** Appends zeros to `path` until the filesystem says ENOSPC; returns the file's size. */
function fillDisk(path: string): number {
  const chunk = Buffer.alloc(64 * 1024)
  for (;;) {
    try {
      appendFileSync(path, chunk)
    } catch (error) {
      assert.equal((error as NodeJS.ErrnoException).code, 'ENOSPC')
      // Whatever fit of a partial chunk: fill the last bytes too.
      for (const size of [4096, 512, 1]) {
        try {
          for (;;) appendFileSync(path, Buffer.alloc(size))
        } catch {
          // Full at this granularity.
        }
      }
      return statSync(path).size
    }
  }
}

/** The last line of a command's stderr (a foreground supervisor mirrors its log there first). */
function lastLine(result: Finished): string {
  return result.stderr.trimEnd().split('\n').at(-1) ?? ''
}

describe('a full disk under CODEX_HOME', {skip: SKIP}, () => {
  after(async () => {
    for (const made of homes) {
      await made.cleanup().catch(() => {})
      spawnSync('umount', [made.home])
      made.remove()
    }
  })

  test('on a full filesystem: start exits 8 naming it, run exits 9 with one line naming the database and the fix; nothing keeps running; the filler is untouched', async () => {
    const made = homeOnTmpfs('1m')
    const filler = join(made.home, 'filler')
    const filled = fillDisk(filler)

    const start = await runCodexd(['start', '--timeout', '30000'], made.env)
    assert.equal(start.code, 8, start.stderr)
    assert.equal(start.stderr.trimEnd().split('\n').length, 1, start.stderr)
    assert.match(start.stderr, /^codexd: the codexd supervisor exited with code 9 before it answered: /)
    assert.match(start.stderr, new RegExp(`the filesystem that holds ${made.home} has \\d+ bytes free: free some space and run codexd start again\\n$`))

    const run = await runCodexd(['run'], made.env)
    assert.equal(run.code, 9, run.stderr)
    assert.equal(lastLine(run), `codexd: cannot write state database ${made.paths.supervisorDb}: the disk is full (SQLITE_FULL): free space on the filesystem that holds ${join(made.home, 'codexd')}`)
    assert.doesNotMatch(run.stderr, /^\s+at /m, 'no stack trace')

    assert.deepEqual(homeProcesses(made.home), [], 'nothing keeps running')
    assert.equal(statSync(filler).size, filled, "the user's file is untouched")
  })

  test('filling up while codexd runs: the supervisor keeps answering, the built-in child that cannot write exits 9 with one line, and restart serves again once space is freed; the databases stay sound', async () => {
    const made = homeOnTmpfs('8m')
    const started = await runCodexd(['start'], made.env)
    assert.equal(started.code, 0, started.stderr)
    const {report: before} = await status(made.env)
    assert.equal(before.state, 'running')

    const filler = join(made.home, 'filler')
    fillDisk(filler)
    // The next child cannot record its run in its state database.
    const restart = await runCodexd(['restart'], made.env)
    assert.equal(restart.code, 8, restart.stderr)
    const failing = await waitForStatus(made.env, (report) => report.child?.state === 'crash-loop', 'the child to crash-loop on the full disk')
    assert.equal(failing.supervisor?.pid, before.supervisor?.pid, 'the same supervisor still answers')
    const builtinDb = made.paths.builtinDb
    assert.match(failing.child?.detail ?? '', new RegExp(`last: exited before answering initialize: codexd: cannot write state database ${builtinDb}: the disk is full \\(SQLITE_FULL\\): free space on the filesystem`))

    spawnSync('rm', [filler])
    const again = await runCodexd(['restart'], made.env)
    assert.equal(again.code, 0, again.stderr)
    const {report: after} = await status(made.env)
    assert.equal(after.state, 'running')
    assert.equal(after.supervisor?.pid, before.supervisor?.pid)

    assert.equal((await runCodexd(['stop'], made.env)).code, 0)
    for (const path of [made.paths.supervisorDb, builtinDb]) assert.equal((await checkDatabase(path)).integrity, 'ok', path)
  })
})
