// `codexd proxy` as a byte bridge (issue 4, point 1): a WebSocket client driving the proxy's stdio
// reaches the built-in app-server; bytes pass unchanged both ways; end of input on either side
// closes the other, and the exit code says which side ended.
import assert from 'node:assert/strict'
import type {ChildProcess} from 'node:child_process'
import {createHash, randomBytes} from 'node:crypto'
import {once} from 'node:events'
import {mkdirSync, writeFileSync} from 'node:fs'
import {createServer, type Socket} from 'node:net'
import {join} from 'node:path'
import {describe, test} from 'node:test'
import type {TempHome} from '../src/ground/harness/home.js'
import {waitFor} from '../src/ground/harness/processes.js'
import {builtinThroughProxy, collect, exitOf, homesForFile, rpcThroughProxy, spawnProxy, startBuiltin} from './support/proxy-stdio.js'

const newHome = homesForFile('codexd-proxy-')

/**
 * A raw unix socket server in this process (`onConnection` scripts it; half-open allowed) on a
 * fresh home, and a `codexd proxy --sock` attached to it, for `body`; the server is closed after.
 */
async function withRawServer(onConnection: (socket: Socket) => void, body: (session: {home: TempHome; sockPath: string; proxy: ChildProcess; stderr: {text(): string}}) => Promise<void>): Promise<void> {
  const home = newHome()
  const sockPath = join(home.home, 'raw.sock')
  const server = createServer({allowHalfOpen: true}, onConnection)
  server.listen(sockPath)
  await once(server, 'listening')
  try {
    const proxy = spawnProxy(['--sock', sockPath], home.env)
    await body({home, sockPath, proxy, stderr: collect(proxy.stderr)})
  } finally {
    server.close()
  }
}

const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex')

describe('codexd proxy (byte bridge)', {timeout: 120_000}, () => {
  test('a WebSocket client speaks through the proxy to the built-in app-server; its close ends the proxy with exit 0', async () => {
    const home = newHome()
    const {server, proxy, stderr, client} = await builtinThroughProxy(home)

    const init = await client.initialize('proxy-bytes')
    assert.match(init.userAgent, /^codexd-builtin\//)
    assert.equal(init.codexHome, home.home)
    const status = await client.request('codexd/status')
    assert.equal(status.result.pid, server.pid, 'the answer came from the built-in server we started')
    assert.equal(status.result.connections, 1)
    const params = {text: 'héllo ✓ \u0000 end', list: [1, 2, 3]}
    assert.deepEqual((await client.request('codexd/echo', params)).result, params)

    client.close()
    const exit = await exitOf(proxy)
    assert.equal(exit.code, 0, `stderr: ${stderr.text()}`)
    assert.equal(stderr.text(), '')
  })

  test('bytes pass unchanged both ways; end of input half-closes the socket and what the server sends after is delivered (exit 0)', async () => {
    const sent = randomBytes(4 * 1024 * 1024 + 123)
    const received: Buffer[] = []
    let serverSawEnd = false
    await withRawServer(
      (socket) => {
        socket.on('data', (chunk) => {
          received.push(chunk)
          socket.write(chunk)
        })
        socket.on('end', () => {
          serverSawEnd = true
          socket.end('server-bye')
        })
      },
      async ({proxy, stderr}) => {
        const out: Buffer[] = []
        proxy.stdout!.on('data', (chunk: Buffer) => out.push(chunk))
        for (let at = 0; at < sent.length; at += 100_000) {
          if (!proxy.stdin!.write(sent.subarray(at, at + 100_000))) await once(proxy.stdin!, 'drain')
        }
        proxy.stdin!.end()
        const exit = await exitOf(proxy)
        assert.equal(exit.code, 0, `stderr: ${stderr.text()}`)
        assert.ok(serverSawEnd, 'the server saw end of input')
        assert.equal(sha(Buffer.concat(received)), sha(sent), 'the server received exactly the bytes sent')
        assert.equal(sha(Buffer.concat(out)), sha(Buffer.concat([sent, Buffer.from('server-bye')])), 'the client received exactly the bytes the server sent, including after its end of input')
      },
    )
  })

  test('when the server ends the connection, the client sees end of output and the proxy exits 10 naming the socket', async () => {
    await withRawServer(
      (socket) => {
        socket.once('data', () => socket.end('last words'))
      },
      async ({home, sockPath, proxy, stderr}) => {
        const stdout = collect(proxy.stdout)
        proxy.stdin!.write('hello')
        const exit = await exitOf(proxy)
        assert.equal(exit.code, 10)
        assert.equal(stdout.text(), 'last words')
        const message = stderr.text().trim()
        assert.equal(message.split('\n').length, 1, `one line: ${message}`)
        assert.ok(message.includes(sockPath), message)
        assert.ok(!message.includes(home.paths.supervisorLog), `a socket of no home: CODEX_HOME's log is not its log: ${message}`)
        assert.match(message, /server side ended/)
      },
    )
  })

  test('a server that never closes after the client\'s end of input is disconnected after the grace period (exit 0)', async () => {
    let serverSawEnd = false
    // allowHalfOpen: the server reads the client's EOF and keeps its own side open forever.
    await withRawServer(
      (socket) => {
        socket.on('data', () => {})
        socket.on('end', () => (serverSawEnd = true))
      },
      async ({proxy, stderr}) => {
        proxy.stdin!.end('hello')
        assert.equal((await exitOf(proxy)).code, 0, stderr.text())
        assert.ok(serverSawEnd, 'the proxy half-closed before giving up on the server')
      },
    )
  })

  test('when the client stops reading (its stdout pipe closes), the proxy drops the connection and exits 0', async () => {
    let serverClosed = false
    await withRawServer(
      (socket) => {
        const flood = () => {
          while (!socket.destroyed && socket.write(Buffer.alloc(64 * 1024, 1)));
        }
        socket.on('drain', flood)
        socket.on('error', () => {})
        socket.on('close', () => (serverClosed = true))
        socket.once('data', flood)
      },
      async ({proxy, stderr}) => {
        proxy.stdin!.write('go')
        await new Promise((resolve) => proxy.stdout!.once('data', resolve))
        proxy.stdout!.destroy()
        assert.equal((await exitOf(proxy)).code, 0, stderr.text())
        await waitFor(() => serverClosed, {what: 'the proxy to drop the connection'})
      },
    )
  })

  test('stopping the built-in server hands its close frame (1001) to the client and the proxy exits 10', async () => {
    const {server, proxy, stderr, client} = await builtinThroughProxy(newHome())
    await client.initialize()
    const closed = once(client.socket, 'close')
    server.kill('SIGTERM')
    const [code] = (await closed) as [number]
    assert.equal(code, 1001, 'the server\'s own close frame reached the client through the proxy')
    assert.equal((await exitOf(proxy)).code, 10)
    assert.match(stderr.text(), /server side ended/)
  })

  test('a socket path longer than 107 bytes is reached through its short link', async () => {
    const home = newHome()
    const dir = join(home.home, 'a'.repeat(60), 'b'.repeat(40))
    mkdirSync(dir, {recursive: true, mode: 0o700})
    const longPath = join(dir, 'app.sock')
    assert.ok(Buffer.byteLength(longPath) > 107)
    await startBuiltin(home.env, longPath, `unix://${longPath}`)
    const proxy = spawnProxy(['--sock', longPath, '--wait-timeout', '0'], home.env)
    const stderr = collect(proxy.stderr)
    const client = await rpcThroughProxy(proxy)
    assert.match((await client.initialize()).userAgent, /^codexd-builtin\//)
    client.close()
    assert.equal((await exitOf(proxy)).code, 0, stderr.text())
  })

  test('a path that is not a socket fails at once with one line naming it', async () => {
    const home = newHome()
    const file = join(home.home, 'not-a-socket')
    writeFileSync(file, 'x')
    const proxy = spawnProxy(['--sock', file], home.env)
    const stderr = collect(proxy.stderr)
    const exit = await exitOf(proxy)
    assert.equal(exit.code, 10)
    assert.match(stderr.text(), /exists and is not a socket/)
    assert.ok(stderr.text().includes(file))
    assert.equal(stderr.text().trim().split('\n').length, 1)
  })
})
