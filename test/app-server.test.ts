import assert from 'node:assert/strict'
import {once} from 'node:events'
import {existsSync, lstatSync, mkdirSync, readdirSync, readlinkSync, statSync, unlinkSync} from 'node:fs'
import {join} from 'node:path'
import {after, describe, test} from 'node:test'
import {MAX_SOCKET_PATH_BYTES} from '../src/ground/home/socket-path.js'
import {StateDatabase} from '../src/ground/state/database.js'
import {builtinMigrations} from '../src/daemon/app-server/schema.js'
import {startBuiltinServer} from './support/builtin-server.js'
import {tempHome} from '../src/ground/harness/home.js'
import {holdLockWithFlockCommand} from '../src/ground/harness/flock-holder.js'
import {finished, killAllStarted, killGroup, runCodexd, spawnCodexd, waitFor} from '../src/ground/harness/processes.js'
import {listenerCount} from './support/unix-listeners.js'
import {RpcClient} from './support/ws-client.js'

describe('codexd app-server (the built-in server)', () => {
  after(killAllStarted)

  test('serves initialize to a real WebSocket client on a 0600 socket in a 0700 directory', async () => {
    const home = tempHome()
    const server = await startBuiltinServer(home)
    try {
      assert.equal(statSync(home.paths.appServerSocket).mode & 0o777, 0o600)
      assert.equal(statSync(home.paths.controlDir).mode & 0o777, 0o700)
      const client = await RpcClient.connect(home.paths.appServerSocket)
      assert.deepEqual(await client.request('codexd/status'), {id: 1, error: {code: -32600, message: 'Not initialized'}})
      const result = await client.initialize()
      assert.match(result.userAgent, /^codexd-builtin\//)
      assert.equal(result.codexHome, home.home)
      const status = await client.request('codexd/status')
      assert.equal(status.result.pid, server.child.pid)
      assert.deepEqual((await client.request('codexd/echo', {n: 1})).result, {n: 1})
      client.close()
    } finally {
      killGroup(server.child.pid)
      home.remove()
    }
  })

  test('SIGTERM closes clients, removes its socket, keeps the lock file, exits 0', async () => {
    const home = tempHome()
    const server = await startBuiltinServer(home)
    try {
      const client = await RpcClient.connect(home.paths.appServerSocket)
      await client.initialize()
      const closed = once(client.socket, 'close')
      server.child.kill('SIGTERM')
      const [code] = await closed
      assert.equal(code, 1001, 'clients are told the server is going away')
      const exit = await finished(server.child)
      assert.equal(exit.code, 0)
      assert.equal(existsSync(home.paths.appServerSocket), false, 'socket removed')
      assert.ok(existsSync(home.paths.startupLock), 'the lock file is never deleted')
    } finally {
      killGroup(server.child.pid)
      home.remove()
    }
  })

  test('a duplicate launch exits 6 with codex\'s message and never touches SQLite', async () => {
    const home = tempHome()
    const server = await startBuiltinServer(home)
    try {
      const dbBefore = statSync(home.paths.builtinDb)
      const duplicate = await runCodexd(['app-server', '--listen', 'unix://'], home.env)
      assert.equal(duplicate.code, 6)
      assert.equal(duplicate.stderr, `codexd: app-server control socket is already in use at ${home.paths.appServerSocket}\n`)
      const {db} = await StateDatabase.open(home.paths.builtinDb, builtinMigrations)
      assert.equal((await db.get<{n: number}>('SELECT count(*) AS n FROM server_runs'))?.n, 1, 'the duplicate recorded no run')
      await db.close()
      assert.equal(statSync(home.paths.builtinDb).ino, dbBefore.ino)
      assert.equal(listenerCount(home.paths.appServerSocket), 1)
    } finally {
      killGroup(server.child.pid)
      home.remove()
    }
  })

  test('a bad --listen URL is a usage error (exit 2) naming the accepted forms', async () => {
    const home = tempHome()
    try {
      const result = await runCodexd(['app-server', '--listen', 'ws://127.0.0.1:9'], home.env)
      assert.equal(result.code, 2)
      assert.equal(result.stderr, "codexd: invalid --listen URL 'ws://127.0.0.1:9': expected stdio://, unix:// or unix://PATH\n")
      assert.equal(existsSync(home.paths.controlDir), false, 'nothing was created')
    } finally {
      home.remove()
    }
  })

  test('waits while flock(1) holds the startup lock, then starts once it is released', async () => {
    const home = tempHome()
    try {
      mkdirSync(home.paths.controlDir, {mode: 0o700})
      const holder = await holdLockWithFlockCommand(home.paths.startupLock)
      const server = spawnCodexd(['app-server', '--listen', 'unix://'], home.env)
      let stderr = ''
      server.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
      await waitFor(() => stderr.includes('waiting for the startup lock'), {what: 'the server to wait for the lock'})
      assert.equal(existsSync(home.paths.appServerSocket), false, 'no socket while the lock is held elsewhere')
      assert.equal(existsSync(home.paths.builtinDb), false, 'no state initialized while the lock is held elsewhere')
      killGroup(holder.pid)
      await waitFor(() => stderr.includes('listening on'), {what: 'the server to start after the lock is released'})
      const client = await RpcClient.connect(home.paths.appServerSocket)
      await client.initialize()
      client.close()
      killGroup(server.pid)
    } finally {
      killAllStarted()
      home.remove()
    }
  })

  test('gives up on a held lock after --lock-timeout with a message naming the lock file (exit 5)', async () => {
    const home = tempHome()
    try {
      mkdirSync(home.paths.controlDir, {mode: 0o700})
      const holder = await holdLockWithFlockCommand(home.paths.startupLock)
      const result = await runCodexd(['app-server', '--listen', 'unix://', '--lock-timeout', '300'], home.env)
      assert.equal(result.code, 5)
      assert.match(result.stderr, new RegExp(`startup lock at ${home.paths.startupLock.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(held by pid ${holder.pid}\\)`))
    } finally {
      killAllStarted()
      home.remove()
    }
  })

  test('a CODEX_HOME too long for a unix socket: bound at a short private path, never truncated', async () => {
    const home = tempHome()
    const longHome = join(home.home, 'n'.repeat(60), 'm'.repeat(60))
    mkdirSync(longHome, {recursive: true})
    const env = {...home.env, CODEX_HOME: longHome}
    const canonical = join(longHome, 'app-server-control', 'app-server-control.sock')
    assert.ok(Buffer.byteLength(canonical) > MAX_SOCKET_PATH_BYTES)
    const server = await startBuiltinServer(home, 'unix://', env)
    try {
      assert.ok(lstatSync(canonical).isSymbolicLink(), 'the canonical path points at the real socket')
      const target = readlinkSync(canonical)
      assert.ok(Buffer.byteLength(target) <= MAX_SOCKET_PATH_BYTES)
      assert.ok(lstatSync(target).isSocket())
      assert.equal(statSync(join(target, '..')).mode & 0o777, 0o700)
      const client = await RpcClient.connect(canonical)
      await client.initialize()
      client.close()
      // A truncated bind would have created a socket named by the first 107 bytes somewhere.
      const truncated = canonical.slice(0, MAX_SOCKET_PATH_BYTES)
      assert.equal(existsSync(truncated), false)
      assert.deepEqual(readdirSync(join(longHome, 'app-server-control')).sort(), ['app-server-control.sock', 'app-server-startup.lock'])
      const duplicate = await runCodexd(['app-server', '--listen', 'unix://'], env)
      assert.equal(duplicate.code, 6, 'the duplicate check follows the link too')
      server.child.kill('SIGTERM')
      await finished(server.child)
      assert.equal(existsSync(target), false, 'the short socket is removed on exit')
      assert.equal(existsSync(canonical), false, 'and so is the link')
    } finally {
      killGroup(server.child.pid)
      home.remove()
    }
  })

  test('stdio:// speaks JSON lines and exits 0 at end of input', async () => {
    const home = tempHome()
    try {
      const child = spawnCodexd(['app-server', '--listen', 'stdio://'], home.env, {stdio: ['pipe', 'pipe', 'pipe']})
      child.stdin!.end(['{"id":1,"method":"codexd/echo"}', '{"id":2,"method":"initialize","params":{"clientInfo":{"name":"t"}}}', '{"method":"initialized"}', '{"id":3,"method":"codexd/echo","params":"hi"}', 'nonsense'].join('\n') + '\n')
      const result = await finished(child)
      assert.equal(result.code, 0)
      const lines = result.stdout.trim().split('\n').map((line) => JSON.parse(line))
      assert.equal(lines.length, 4)
      assert.equal(lines[0].error.message, 'Not initialized')
      assert.match(lines[1].result.userAgent, /^codexd-builtin/)
      assert.deepEqual(lines[2], {id: 3, result: 'hi'})
      assert.equal(lines[3].error.code, -32700)
    } finally {
      home.remove()
    }
  })
})

describe('codexd app-server never removes a socket it does not own', () => {
  after(killAllStarted)

  test('a server whose socket path was taken over by a newer server leaves that socket alone on SIGTERM', async () => {
    const home = tempHome()
    try {
      const older = await startBuiltinServer(home)
      const olderIno = statSync(home.paths.appServerSocket).ino
      // Someone removes the older server's socket file; a newer server then binds the free path.
      unlinkSync(home.paths.appServerSocket)
      const newer = await startBuiltinServer(home)
      const newerIno = statSync(home.paths.appServerSocket).ino
      assert.notEqual(newerIno, olderIno)
      older.child.kill('SIGTERM')
      assert.equal((await finished(older.child)).code, 0)
      assert.equal(statSync(home.paths.appServerSocket).ino, newerIno, "the newer server's socket is still there")
      const client = await RpcClient.connect(home.paths.appServerSocket)
      assert.equal((await client.request('initialize', {clientInfo: {name: 't'}})).result.userAgent.startsWith('codexd-builtin/'), true)
      client.close()
      killGroup(newer.child.pid)
    } finally {
      killAllStarted()
      home.remove()
    }
  })
})
