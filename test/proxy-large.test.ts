// Large messages and back-pressure (issue 4, point 5): messages up to the 16 MiB codex accepts
// pass both ways in both modes, and a stdout reader that stops reading makes the proxy stop
// reading the server instead of buffering the stream.
import assert from 'node:assert/strict'
import {createHash, randomBytes} from 'node:crypto'
import {once} from 'node:events'
import {readFileSync} from 'node:fs'
import {createServer as createHttpServer} from 'node:http'
import {createServer, type Socket} from 'node:net'
import {join} from 'node:path'
import {describe, test} from 'node:test'
import {WebSocketServer} from 'ws'
import {waitFor} from '../src/ground/harness/processes.js'
import {collect, exitOf, homesForFile, JsonlClient, rpcThroughProxy, spawnProxy, startBuiltin} from './support/proxy-stdio.js'

const MiB = 1024 * 1024
const newHome = homesForFile('codexd-proxy-large-')

/** The resident memory of a process, in bytes (Linux /proc). */
function rssBytes(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return Number(match![1]) * 1024
}

/** A string param that makes the request `{"id":..,"method":"codexd/echo","params":{"s":...}}` just under 16 MiB. */
const nearLimitText = () => 'x'.repeat(16 * MiB - 200)

/**
 * What a paused reader lets a server push: polls until the server finished (back-pressure is
 * broken) or has been blocked by a full socket with no progress for several polls in a row.
 */
async function untilStalled(progress: () => {pushed: number; blocked: boolean; done: boolean}): Promise<{pushed: number; done: boolean}> {
  let last = -1
  let still = 0
  return waitFor(() => {
    const now = progress()
    if (now.done) return {pushed: now.pushed, done: true}
    still = now.blocked && now.pushed === last ? still + 1 : 0
    last = now.pushed
    return still >= 5 ? {pushed: now.pushed, done: false} : undefined
  }, {timeoutMs: 60_000, intervalMs: 200, what: 'the server to stall or finish'})
}

describe('codexd proxy: large messages and back-pressure', {timeout: 240_000}, () => {
  test('byte mode: a message just under 16 MiB goes to the built-in server and back intact', async () => {
    const home = newHome()
    await startBuiltin(home.env, home.paths.appServerSocket)
    const proxy = spawnProxy([], home.env)
    const client = await rpcThroughProxy(proxy)
    await client.initialize()
    const text = nearLimitText()
    const answer = await client.request('codexd/echo', {s: text})
    assert.equal(answer.result.s.length, text.length)
    assert.equal(answer.result.s, text)
    client.close()
    assert.equal((await exitOf(proxy)).code, 0)
  })

  test('--jsonl: a 16 MiB line round-trips; a longer line is refused with -32600 and the session continues', async () => {
    const home = newHome()
    await startBuiltin(home.env, home.paths.appServerSocket)
    const proxy = spawnProxy(['--jsonl'], home.env)
    const client = new JsonlClient(proxy)
    await client.initialize()
    const text = nearLimitText()
    client.send({id: 2, method: 'codexd/echo', params: {s: text}})
    assert.equal((await client.answer(2, 60_000)).result.s, text)

    client.send({id: 3, method: 'codexd/echo', params: {s: 'y'.repeat(16 * MiB)}})
    const refused = await client.answer(null, 60_000)
    assert.equal(refused.error.code, -32600)
    assert.match(refused.error.message, /line 4 is \d+ bytes, over the 16777216-byte message limit/)
    client.send({id: 4, method: 'codexd/echo', params: 'still here'})
    assert.equal((await client.answer(4)).result, 'still here')
    proxy.stdin!.end()
    assert.equal((await exitOf(proxy)).code, 0)
  })

  test('byte mode: a paused stdout reader stops the proxy reading the server; nothing is lost when it reads again', async (t) => {
    const home = newHome()
    const socket = join(home.home, 'push.sock')
    const total = 128 * MiB
    const block = randomBytes(MiB)
    const state = {pushed: 0, blocked: false, done: false}
    let connection: Socket | undefined
    // Pushes `total` bytes as fast as the connection accepts them, honouring write() back-pressure.
    const server = createServer((socket) => {
      connection = socket
      const push = () => {
        while (state.pushed < total) {
          state.pushed += block.length
          if (!socket.write(block)) {
            state.blocked = true
            socket.once('drain', () => {
              state.blocked = false
              push()
            })
            return
          }
        }
        state.done = true
        socket.end()
      }
      socket.once('data', push)
    })
    server.listen(socket)
    await once(server, 'listening')
    try {
      const proxy = spawnProxy(['--sock', socket], home.env)
      proxy.stdin!.write('go')
      await waitFor(() => connection !== undefined, {what: 'the proxy to connect'})
      const baseline = rssBytes(proxy.pid!)
      const stalled = await untilStalled(() => state)
      const rssWhilePaused = rssBytes(proxy.pid!)
      t.diagnostic(`while paused: server pushed ${(stalled.pushed / MiB).toFixed(1)} MiB, proxy RSS grew ${((rssWhilePaused - baseline) / MiB).toFixed(1)} MiB`)
      assert.equal(stalled.done, false, 'the whole stream went into the proxy while nobody read its stdout')
      assert.ok(stalled.pushed <= 16 * MiB, `the server could push ${stalled.pushed} bytes into a paused proxy`)
      assert.ok(rssWhilePaused - baseline < 48 * MiB, `proxy RSS grew by ${rssWhilePaused - baseline} bytes while paused`)

      const hash = createHash('sha256')
      let received = 0
      proxy.stdout!.on('data', (chunk: Buffer) => {
        hash.update(chunk)
        received += chunk.length
      })
      const exit = await exitOf(proxy)
      await waitFor(() => proxy.stdout!.readableEnded || received === total, {what: 'the rest of the stream'})
      const expected = createHash('sha256')
      for (let at = 0; at < total; at += block.length) expected.update(block)
      assert.equal(received, total)
      assert.equal(hash.digest('hex'), expected.digest('hex'))
      assert.equal(exit.code, 10, 'the server ended the stream')
    } finally {
      server.close()
    }
  })

  test('byte mode: small writes queued behind a server that reads late arrive intact and in order', async () => {
    const home = newHome()
    const socket = join(home.home, 'late-reader.sock')
    const payload = randomBytes(MiB)
    const received = createHash('sha256')
    let receivedBytes = 0
    let connected!: () => void
    const proxyConnected = new Promise<void>((resolve) => (connected = resolve))
    // Reads nothing for a second (the socket fills and the proxy's writes queue), then all.
    const server = createServer((connection) => {
      connected()
      connection.pause()
      setTimeout(() => connection.resume(), 1000)
      connection.on('data', (chunk: Buffer) => {
        received.update(chunk)
        receivedBytes += chunk.length
      })
      connection.on('end', () => connection.end())
    })
    server.listen(socket)
    await once(server, 'listening')
    try {
      const proxy = spawnProxy(['--sock', socket], home.env)
      await proxyConnected
      // One 1000-byte write per timer tick: the proxy reads them one by one, and once the socket is
      // full they queue below net's 16 KiB high-water mark, where write() still says yes.
      for (let at = 0; at < payload.length; at += 1000) {
        proxy.stdin!.write(payload.subarray(at, at + 1000))
        await new Promise((resolve) => setTimeout(resolve, 0))
      }
      proxy.stdin!.end()
      assert.equal((await exitOf(proxy)).code, 0)
      assert.equal(receivedBytes, payload.length)
      assert.equal(received.digest('hex'), createHash('sha256').update(payload).digest('hex'), 'the bytes arrived changed')
    } finally {
      server.close()
    }
  })

  test('--jsonl: a paused stdout reader pauses the WebSocket; every message arrives once it reads again', async (t) => {
    const home = newHome()
    const socket = join(home.home, 'push-ws.sock')
    const messageCount = 2048
    const payload = 'z'.repeat(64 * 1024)
    const state = {pushed: 0, sent: 0, blocked: false, done: false}
    const http = createHttpServer()
    const wss = new WebSocketServer({server: http, perMessageDeflate: false})
    // Sends messages while its own buffer is small, so what it pushes is what the proxy took.
    wss.on('connection', (ws) => {
      const push = () => {
        while (state.sent < messageCount && ws.bufferedAmount < MiB) {
          const text = JSON.stringify({method: 'push', params: {n: state.sent, payload}})
          state.sent++
          ws.send(text, () => {
            state.pushed += text.length
          })
        }
        state.blocked = state.sent < messageCount
        if (state.blocked) setTimeout(push, 10)
        else state.done = true
      }
      ws.once('message', push)
    })
    http.listen(socket)
    await once(http, 'listening')
    try {
      const proxy = spawnProxy(['--jsonl', '--sock', socket], home.env)
      const stderr = collect(proxy.stderr)
      proxy.stdin!.write('{"method":"start"}\n')
      await waitFor(() => state.sent > 0, {what: 'the proxy to connect'})
      const baseline = rssBytes(proxy.pid!)
      const stalled = await untilStalled(() => state)
      const rssWhilePaused = rssBytes(proxy.pid!)
      t.diagnostic(`while paused: server pushed ${(stalled.pushed / MiB).toFixed(1)} MiB, proxy RSS grew ${((rssWhilePaused - baseline) / MiB).toFixed(1)} MiB`)
      assert.equal(stalled.done, false, 'the server sent everything while nobody read the proxy\'s stdout')
      assert.ok(stalled.pushed <= 24 * MiB, `the server pushed ${stalled.pushed} bytes into a paused proxy`)
      assert.ok(rssWhilePaused - baseline < 64 * MiB, `proxy RSS grew by ${rssWhilePaused - baseline} bytes while paused`)

      const client = new JsonlClient(proxy)
      await waitFor(() => client.messages.length === messageCount, {timeoutMs: 120_000, what: 'every pushed message'})
      assert.deepEqual(client.messages.map((message) => message.params.n), Array.from({length: messageCount}, (_, n) => n))
      proxy.stdin!.end()
      assert.equal((await exitOf(proxy)).code, 0, stderr.text())
    } finally {
      for (const client of wss.clients) client.terminate()
      http.close()
    }
  })
})
