import assert from 'node:assert/strict'
import {createHash} from 'node:crypto'
import {existsSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync} from 'node:fs'
import {basename, dirname, join} from 'node:path'
import {after, describe, test} from 'node:test'
import {startBuiltinServer} from './support/builtin-server.js'
import {finished, killGroup, runCodexd, trackPid} from '../src/ground/harness/processes.js'
import {checkDatabase, queryDatabase} from './support/sqlite-check.js'
import {status, supervisedHome, type SupervisedHome} from './support/supervisor-home.js'
import {RpcClient} from './support/ws-client.js'

/** Two ways a state database gets damaged: overwritten with garbage, or cut short (a full disk, a bad copy). */
const DAMAGE = {
  'garbage bytes': (path: string) => writeFileSync(path, Buffer.concat([Buffer.from('not a database at all\n'), Buffer.alloc(8192, 0xa5)])),
  'a truncated file': (path: string) => truncateSync(path, Math.floor(statSync(path).size / 2)),
} as const

const homes: SupervisedHome[] = []
function home(): SupervisedHome {
  const made = supervisedHome('builtin')
  homes.push(made)
  return made
}

describe('a corrupted state database is moved aside with a timestamp, recreated and reported; never silently dropped', () => {
  after(async () => {
    for (const made of homes) await made.cleanup()
  })

  for (const [damage, corrupt] of Object.entries(DAMAGE)) {
    test(`the built-in app-server's database, ${damage}: one stderr line names both files; the damaged bytes are kept`, async () => {
      const made = home()
      await serveBuiltinOnce(made)
      const db = made.paths.builtinDb
      corrupt(db)
      const damaged = sha256(db)

      const server = await startBuiltinServer(made)
      try {
        const aside = movedAsideFiles(db)
        assert.equal(aside.length, 1, 'the damaged file was moved aside')
        assert.match(basename(aside[0]), /^builtin-app-server\.sqlite\.corrupt-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z$/)
        assert.equal(sha256(aside[0]), damaged, 'with its bytes unchanged')
        const notice = server.stderr().split('\n').filter((line) => line.includes('corrupt'))
        assert.deepEqual(notice, [`codexd app-server: state database ${db} was corrupt; moved it to ${aside[0]} and started a fresh one`])
        const client = await RpcClient.connect(made.paths.appServerSocket)
        await client.initialize()
        client.close()
      } finally {
        killGroup(server.child.pid, 'SIGTERM')
        await finished(server.child)
      }
      assert.equal((await checkDatabase(db)).integrity, 'ok')
      assert.deepEqual(await queryDatabase(db, 'SELECT count(*) AS n FROM server_runs'), [{n: 1}], 'a fresh database holding this run')
    })

    test(`the supervisor's database, ${damage}: status reports it without touching it; start moves it aside and records an event`, async () => {
      const made = home()
      await startAndStop(made)
      const db = made.paths.supervisorDb
      corrupt(db)
      const damaged = sha256(db)

      // Not running: status (and logs --events) say the database is corrupt, and change nothing.
      const {code, report} = await status(made.env)
      assert.equal(code, 3)
      const warning = report.events.find((event) => event.kind === 'state-corrupt')
      assert.ok(warning, `status reports the corrupt database: ${JSON.stringify(report.events)}`)
      assert.ok(warning.message.includes(db), warning.message)
      const events = await runCodexd(['logs', '--events'], made.env)
      assert.equal(events.code, 9)
      assert.match(events.stderr, new RegExp(`^codexd: state database ${escape(db)} is corrupt .*\\n$`))
      assert.deepEqual(movedAsideFiles(db), [], 'readers never move it')
      assert.equal(sha256(db), damaged)

      // start: moved aside (bytes kept), a fresh database, and an event saying so in status and logs --events.
      const started = await runCodexd(['start'], made.env)
      assert.equal(started.code, 0, started.stderr)
      const running = (await status(made.env)).report
      if (running.supervisor) trackPid(running.supervisor.pid)
      const aside = movedAsideFiles(db)
      assert.equal(aside.length, 1)
      assert.match(basename(aside[0]), /^supervisor\.sqlite\.corrupt-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z$/)
      assert.equal(sha256(aside[0]), damaged)
      const recovered = running.events.find((event) => event.kind === 'state-recovered')
      assert.ok(recovered, `status shows the recovery: ${JSON.stringify(running.events)}`)
      assert.equal(recovered.message, `state database ${db} was corrupt; moved it to ${aside[0]} and started a fresh one`)
      const listed = await runCodexd(['logs', '--events'], made.env)
      assert.ok(listed.stdout.includes(recovered.message), listed.stdout)
      assert.ok(readFileSync(made.paths.supervisorLog, 'utf8').includes(recovered.message), 'and the log')
      assert.equal((await runCodexd(['stop'], made.env)).code, 0)
      assert.equal((await checkDatabase(db)).integrity, 'ok')
    })
  }
})

/** Runs the built-in server once and stops it cleanly, leaving a database with one run. */
async function serveBuiltinOnce(made: SupervisedHome): Promise<void> {
  const server = await startBuiltinServer(made)
  killGroup(server.child.pid, 'SIGTERM')
  await finished(server.child)
}

/** `codexd start` then `codexd stop`, leaving a supervisor database with history. */
async function startAndStop(made: SupervisedHome): Promise<void> {
  const started = await runCodexd(['start'], made.env)
  assert.equal(started.code, 0, started.stderr)
  const stopped = await runCodexd(['stop'], made.env)
  assert.equal(stopped.code, 0, stopped.stderr)
}

/** The `<db>.corrupt-<timestamp>` files beside `db` (not their -wal/-shm companions). */
function movedAsideFiles(db: string): string[] {
  return readdirSync(dirname(db)).filter((name) => name.startsWith(`${basename(db)}.corrupt-`) && !/-(wal|shm)$/.test(name)).map((name) => join(dirname(db), name))
}

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex')
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
