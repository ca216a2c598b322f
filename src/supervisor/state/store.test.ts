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
    const {StateDatabase} = await import('../../state/database.js')
    await (await StateDatabase.open(empty, [])).db.close()
    assert.equal(await SupervisorStore.openForReading(empty), undefined)
  })
})
