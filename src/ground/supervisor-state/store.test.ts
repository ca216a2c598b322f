import assert from 'node:assert/strict'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'
import {SupervisorStore} from './store.js'

describe('SupervisorStore', () => {
  const dir = mkdtempSync(join(tmpdir(), 'codexd-store-'))
  const path = join(dir, 'supervisor.sqlite')
  after(() => rmSync(dir, {recursive: true, force: true}))

  it('records a run, spawns, ready, exits and events, and reads them back in order', async () => {
    const {store, report} = await SupervisorStore.open(path)
    assert.deepEqual([report.migratedFrom, report.migratedTo], [0, 1])
    await store.beginRun(4242, 'builtin')
    const spawn = await store.recordSpawn({kind: 'builtin', version: '0.1.0', describe: 'built-in', lockAware: true, pid: 5000, startTicks: '77'})
    await store.event('spawn', 'spawned', spawn)
    await store.recordReady(spawn)
    await store.event('ready', 'answered', spawn)
    await store.recordExit(spawn, {code: null, signal: 'SIGKILL', reason: 'killed'})
    await store.event('exit', 'gone', spawn)
    assert.deepEqual((await store.recentEvents(2)).map((event) => event.kind), ['ready', 'exit'])
    assert.deepEqual(await store.lastExit().then((exit) => exit && {pid: exit.pid, signal: exit.signal, reason: exit.reason}), {pid: 5000, signal: 'SIGKILL', reason: 'killed'})
    await store.endRun('stopped')
    await store.close()
  })

  it('openForReading does not migrate and sees what was written; a new run finds spawns left open by a dead one', async () => {
    const reader = await SupervisorStore.openForReading(path)
    assert.ok(reader)
    assert.equal((await reader.lastRun())?.stopReason, 'stopped')
    await reader.close()

    const {store: dead} = await SupervisorStore.open(path)
    await dead.beginRun(1, 'builtin')
    const open = await dead.recordSpawn({kind: 'builtin', version: null, describe: 'x', lockAware: true, pid: 6000, startTicks: null})
    await dead.close() // never records an exit: its supervisor "died"
    const {store: next} = await SupervisorStore.open(path)
    await next.beginRun(2, 'builtin')
    assert.deepEqual((await next.openSpawnsOfEarlierRuns()).map((spawn) => spawn.id), [open])
    await next.close()
  })

  it('openForReading on an empty database file is undefined (nothing recorded yet)', async () => {
    const empty = join(dir, 'empty.sqlite')
    const {StateDatabase} = await import('../state/database.js')
    await (await StateDatabase.open(empty, [])).db.close()
    assert.equal(await SupervisorStore.openForReading(empty), undefined)
  })

  it('keeps a bounded history: old events, exited spawns and ended runs are pruned; an open spawn and every referenced row stay', async () => {
    const bounded = join(dir, 'bounded.sqlite')
    const kept = 5
    const {store: first} = await SupervisorStore.open(bounded, {kept})
    await first.beginRun(100, 'builtin')
    const open = await first.recordSpawn({kind: 'builtin', version: null, describe: 'never exited', lockAware: true, pid: 7000, startTicks: '1'})
    await first.close() // its supervisor "died": the spawn stays open
    for (let run = 1; run <= 12; run++) {
      const {store} = await SupervisorStore.open(bounded, {kept})
      await store.beginRun(100 + run, 'builtin')
      for (let restart = 0; restart < 3; restart++) {
        const spawn = await store.recordSpawn({kind: 'builtin', version: null, describe: 'child', lockAware: true, pid: 8000 + run * 10 + restart, startTicks: null})
        await store.event('spawn', `run ${run} spawn ${restart}`, spawn)
        await store.recordExit(spawn, {code: 1, signal: null, reason: 'crashed'})
      }
      await store.endRun('stopped')
      await store.close()
    }
    const {store} = await SupervisorStore.open(bounded, {kept})
    await store.beginRun(200, 'builtin')
    const size = await store.historySize()
    assert.ok(size.events <= kept, `events kept: ${size.events}`)
    // Spawns: at most `kept` exited ones plus the open one; runs: the referenced ones plus `kept`.
    assert.ok(size.spawns <= kept + 1, `spawns kept: ${size.spawns}`)
    assert.ok(size.runs <= kept + 2, `runs kept: ${size.runs}`)
    assert.deepEqual((await store.openSpawnsOfEarlierRuns()).map((spawn) => spawn.id), [open])
    assert.equal((await store.lastExit())?.pid, 8000 + 12 * 10 + 2)
    const dangling = await store.db.get<{n: number}>(
      `SELECT (SELECT COUNT(*) FROM events WHERE spawn_id IS NOT NULL AND spawn_id NOT IN (SELECT id FROM child_spawns))
            + (SELECT COUNT(*) FROM events WHERE run_id IS NOT NULL AND run_id NOT IN (SELECT id FROM supervisor_runs))
            + (SELECT COUNT(*) FROM child_spawns WHERE run_id NOT IN (SELECT id FROM supervisor_runs)) AS n`,
    )
    assert.equal(dangling?.n, 0)
    await store.close()
  })
})
