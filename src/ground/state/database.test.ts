import assert from 'node:assert/strict'
import {existsSync, readdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, test} from 'node:test'
import {tempHome} from '../harness/home.js'
import {StateDatabase, type Migration} from './database.js'

const v1: Migration = {version: 1, name: 'items', sql: 'CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL);'}
const v2: Migration = {version: 2, name: 'tags', sql: 'ALTER TABLE items ADD COLUMN tag TEXT;'}

describe('state database', () => {
  test('opens in WAL mode with a busy timeout and applies migrations in order, once', async () => {
    const home = tempHome()
    try {
      const path = join(home.home, 'state.sqlite')
      const first = await StateDatabase.open(path, [v1])
      assert.deepEqual(first.report, {migratedFrom: 0, migratedTo: 1})
      assert.equal((await first.db.get<{journal_mode: string}>('PRAGMA journal_mode'))?.journal_mode, 'wal')
      assert.ok(((await first.db.get<{timeout: number}>('PRAGMA busy_timeout'))?.timeout ?? 0) > 0)
      await first.db.run('INSERT INTO items (name) VALUES (?)', ['a'])
      await first.db.close()

      const second = await StateDatabase.open(path, [v2, v1])
      assert.deepEqual(second.report, {migratedFrom: 1, migratedTo: 2})
      assert.deepEqual(await second.db.all('SELECT name, tag FROM items'), [{name: 'a', tag: null}])
      await second.db.close()
    } finally {
      home.remove()
    }
  })

  test('a failing migration rolls back completely and leaves the version unchanged', async () => {
    const home = tempHome()
    try {
      const path = join(home.home, 'state.sqlite')
      const broken: Migration = {version: 2, name: 'broken', sql: 'CREATE TABLE extra (x); SELECT * FROM no_such_table;'}
      await (await StateDatabase.open(path, [v1])).db.close()
      await assert.rejects(StateDatabase.open(path, [v1, broken]), /no such table/)
      const {db, report} = await StateDatabase.open(path, [v1])
      assert.equal(report.migratedTo, 1)
      assert.equal(await db.get("SELECT name FROM sqlite_master WHERE name = 'extra'"), undefined, 'the half-applied migration was rolled back')
      await db.close()
    } finally {
      home.remove()
    }
  })

  test('a corrupt file is moved aside with a timestamp and a fresh database is created', async () => {
    const home = tempHome()
    try {
      const path = join(home.home, 'state.sqlite')
      const garbage = Buffer.alloc(8192, 0x5a)
      writeFileSync(path, garbage)
      const {db, report} = await StateDatabase.open(path, [v1])
      assert.ok(report.movedAside, 'the open reports where the corrupt file went')
      assert.match(report.movedAside!, /state\.sqlite\.corrupt-\d{4}-/)
      assert.ok(existsSync(report.movedAside!), 'the corrupt file is kept, not dropped')
      assert.equal((await db.get<{integrity_check: string}>('PRAGMA integrity_check'))?.integrity_check, 'ok')
      assert.equal(report.migratedTo, 1)
      await db.close()
      assert.equal(readdirSync(home.home).filter((name) => name.includes('.corrupt-')).length, 1)
    } finally {
      home.remove()
    }
  })
})
