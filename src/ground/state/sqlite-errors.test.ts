import assert from 'node:assert/strict'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, describe, test} from 'node:test'
import sqlite3 from 'sqlite3'
import {CodexdError} from '../errors/codexd-error.js'
import {ExitCode} from '../errors/exit-codes.js'
import {tempHome} from '../harness/home.js'
import {StateDatabase} from './database.js'
import {sqliteError} from './sqlite-errors.js'

const v1 = {version: 1, name: 'items', sql: 'CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT);'}

/** The error a real sqlite3 connection gives for `sql` on `path` opened with `mode`. */
async function realError(path: string, mode: number, sql: string): Promise<Error> {
  const db = await new Promise<sqlite3.Database>((resolve, reject) => {
    const opened = new sqlite3.Database(path, mode, (error) => (error ? reject(error) : resolve(opened)))
  }).catch((error: Error) => error)
  if (db instanceof Error) return db
  const error = await new Promise<Error | null>((resolve) => db.exec(sql, resolve))
  await new Promise((resolve) => db.close(resolve))
  assert.ok(error, `${sql} failed`)
  return error
}

/** Asserts a one-line state error (exit 9) naming `path`, with `code`. */
function assertStateError(error: unknown, path: string, code: string, says: RegExp): void {
  assert.ok(error instanceof CodexdError, `a CodexdError, not ${String(error)}`)
  assert.equal(error.code, code)
  assert.equal(error.exitCode, ExitCode.StateError)
  assert.ok(error.message.includes(path), error.message)
  assert.match(error.message, says)
  assert.equal(error.message.includes('\n'), false)
}

describe('SQLite error classes become one-line state errors (exit 9)', {timeout: 30_000}, () => {
  const home = tempHome()
  after(() => home.remove())

  test('SQLITE_READONLY: a write on a read-only connection', async () => {
    const path = join(home.home, 'ro.sqlite')
    await (await StateDatabase.open(path, [v1])).db.close()
    const error = await realError(path, sqlite3.OPEN_READONLY, "INSERT INTO items (name) VALUES ('x')")
    assertStateError(sqliteError(path, error), path, 'state-read-only', /^cannot write state database .*read-only \(SQLITE_READONLY\)/)
  })

  test('SQLITE_CANTOPEN: a database in a directory that does not exist', async () => {
    const path = join(home.home, 'missing-dir', 'x.sqlite')
    const error = await realError(path, sqlite3.OPEN_READWRITE | sqlite3.OPEN_CREATE, 'SELECT 1')
    assertStateError(sqliteError(path, error), path, 'state-cannot-open', /SQLITE_CANTOPEN/)
    await assert.rejects(StateDatabase.open(path, [v1]), (thrown) => {
      assertStateError(thrown, path, 'state-cannot-open', /SQLITE_CANTOPEN/)
      return true
    })
  })

  test('SQLITE_NOTADB: a file that is not a database (readers report it; they never move it aside)', async () => {
    const path = join(home.home, 'garbage.sqlite')
    writeFileSync(path, 'x'.repeat(4096))
    await assert.rejects(StateDatabase.open(path, [v1], {repair: false}), (thrown) => {
      assertStateError(thrown, path, 'state-corrupt', /moves it aside/)
      return true
    })
  })

  test('SQLITE_BUSY: another connection holds the write lock past the busy timeout', async () => {
    const path = join(home.home, 'busy.sqlite')
    const holder = (await StateDatabase.open(path, [v1])).db
    const waiter = (await StateDatabase.open(path, [v1], {busyTimeoutMs: 50})).db
    try {
      await holder.exec('BEGIN IMMEDIATE')
      await assert.rejects(waiter.run("INSERT INTO items (name) VALUES ('x')"), (thrown) => {
        assertStateError(thrown, path, 'state-busy', /SQLITE_BUSY/)
        return true
      })
      await holder.exec('ROLLBACK')
    } finally {
      await holder.close()
      await waiter.close()
    }
  })

  test('anything that is not a SQLite error passes through unchanged', () => {
    const plain = new Error('not sqlite')
    assert.equal(sqliteError('/x', plain), plain)
  })
})
