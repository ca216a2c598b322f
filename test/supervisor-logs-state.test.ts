import assert from 'node:assert/strict'
import {existsSync, statSync} from 'node:fs'
import {after, describe, it} from 'node:test'
import {StateDatabase} from '../src/ground/state/database.js'
import {finished, runCodexd, spawnCodexd, waitFor} from '../src/ground/harness/processes.js'
import {startAndTrack, supervisedHome} from './support/supervisor-home.js'

describe('codexd logs', () => {
  const home = supervisedHome('builtin', {CODEXD_LOG_MAX_BYTES: '2000', CODEXD_LOG_KEEP: '2'})
  after(() => home.cleanup())

  it('prints the last lines of the supervisor log, child output included', async () => {
    await startAndTrack(home)
    const all = await runCodexd(['logs', '-n', '0'], home.env)
    assert.equal(all.code, 0, all.stderr)
    assert.match(all.stdout, /ready: child \d+ answered initialize/)
    assert.match(all.stdout, /\[child \d+\] codexd app-server: listening on unix:\/\//)
    const last = await runCodexd(['logs', '-n', '2'], home.env)
    assert.equal(last.stdout.trimEnd().split('\n').length, 2)
    assert.ok(all.stdout.endsWith(last.stdout))
  })

  it('-f follows appended lines across rotation, and stays bounded: CODEXD_LOG_KEEP rotated files of about CODEXD_LOG_MAX_BYTES', async () => {
    const follow = spawnCodexd(['logs', '-f', '-n', '1'], home.env)
    let out = ''
    follow.stdout?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk))
    // Restart until the log has rotated at least twice (each restart logs a few hundred bytes).
    let restarts = 0
    while (!existsSync(`${home.paths.supervisorLog}.2`) || restarts < 6) {
      assert.ok(restarts < 40, 'the log never rotated twice')
      assert.equal((await runCodexd(['restart'], home.env)).code, 0)
      restarts++
    }
    const lastSpawn = (await runCodexd(['status', '--json'], home.env)).stdout
    const childPid = JSON.parse(lastSpawn).child.pid
    await waitFor(() => out.includes(`child ${childPid} answered initialize`), {what: 'the follower to show the newest child'})
    assert.equal((out.match(/restart: spawned/g) ?? []).length, restarts, 'every restart line was followed, none lost or repeated at rotation')
    follow.kill('SIGINT')
    assert.equal((await finished(follow)).code, 0)
    assert.ok(existsSync(`${home.paths.supervisorLog}.1`))
    assert.equal(existsSync(`${home.paths.supervisorLog}.3`), false, 'only CODEXD_LOG_KEEP old files')
    for (const file of [home.paths.supervisorLog, `${home.paths.supervisorLog}.1`, `${home.paths.supervisorLog}.2`]) {
      assert.ok(statSync(file).size <= 2000 + 1000, `${file} is bounded`)
    }
  })

  it('--events lists the recorded events (also as JSON lines)', async () => {
    const events = await runCodexd(['logs', '--events', '--json', '-n', '0'], home.env)
    assert.equal(events.code, 0, events.stderr)
    const rows = events.stdout.trim().split('\n').map((line) => JSON.parse(line))
    const kinds = rows.map((row) => row.kind)
    assert.equal(kinds[0], 'supervisor-start')
    const restarts = kinds.filter((kind) => kind === 'restart').length
    assert.ok(restarts >= 6)
    assert.equal(kinds.filter((kind) => kind === 'ready').length, restarts + 1)
  })
})

describe('supervisor state in SQLite', () => {
  const home = supervisedHome('builtin')
  after(() => home.cleanup())

  it('records runs, spawns with ready times, exits with code, signal and reason', async () => {
    await startAndTrack(home)
    assert.equal((await runCodexd(['restart'], home.env)).code, 0)
    assert.equal((await runCodexd(['stop'], home.env)).code, 0)
    const {db} = await StateDatabase.open(home.paths.supervisorDb, [])
    try {
      assert.equal((await db.get<{user_version: number}>('PRAGMA user_version'))?.user_version, 1)
      const runs = await db.all<{pid: number; stopped_at: string | null; stop_reason: string}>('SELECT pid, stopped_at, stop_reason FROM supervisor_runs')
      assert.equal(runs.length, 1)
      assert.equal(runs[0].stop_reason, 'stopped by codexd stop')
      const spawns = await db.all<{pid: number; ready_at: string | null; exit_code: number | null; exit_reason: string}>('SELECT pid, ready_at, exit_code, exit_reason FROM child_spawns ORDER BY id')
      assert.equal(spawns.length, 2)
      assert.ok(spawns.every((spawn) => spawn.ready_at !== null && spawn.pid > 0))
      assert.match(spawns[0].exit_reason, /^restarted: codexd restart/)
      assert.equal(spawns[1].exit_reason, 'stopped by codexd stop')
      assert.deepEqual(spawns.map((spawn) => spawn.exit_code), [0, 0])
    } finally {
      await db.close()
    }
  })
})
