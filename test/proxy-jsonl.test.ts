// `codexd proxy --jsonl` (issue 4, point 4): JSON-RPC lines on stdio, WebSocket messages on the
// socket; a server restart is survived (in-flight requests answered with -32099, initialize and
// initialized replayed); malformed lines get a parse error and the session goes on.
import assert from 'node:assert/strict'
import type {ChildProcess} from 'node:child_process'
import {join} from 'node:path'
import {describe, test} from 'node:test'
import {SERVER_RESTARTED_CODE} from '../src/client/proxy/jsonl/client-state.js'
import type {TempHome} from '../src/ground/harness/home.js'
import {CODEXD_BIN, finished, spawnTracked, waitFor} from '../src/ground/harness/processes.js'
import {collect, exitOf, homesForFile, JsonlClient, spawnProxy, startBuiltin} from './support/proxy-stdio.js'
import {type ScriptedServer, startScriptedServer} from './support/scripted-app-server.js'

const newHome = homesForFile('codexd-proxy-jsonl-')

/** A scripted server on a socket of a fresh home and a --jsonl proxy attached to it, for `body`. */
async function withScriptedSession(body: (session: {home: TempHome; server: ScriptedServer; proxy: ChildProcess; stderr: {text(): string}; client: JsonlClient}) => Promise<void>): Promise<void> {
  const home = newHome()
  const socket = join(home.home, 'scripted.sock')
  const server = await startScriptedServer(socket)
  try {
    const proxy = spawnProxy(['--jsonl', '--sock', socket], home.env)
    await body({home, server, proxy, stderr: collect(proxy.stderr), client: new JsonlClient(proxy)})
  } finally {
    await server.close()
  }
}

const shellQuote = (text: string) => `'${text.replaceAll("'", "'\\''")}'`

describe('codexd proxy --jsonl', {timeout: 120_000}, () => {
  test("printf '%s\\n' initialize ... | codexd proxy --jsonl answers every request, then exits 0", async () => {
    const home = newHome()
    const server = await startBuiltin(home.env, home.paths.appServerSocket)
    const lines = [
      '{"id":1,"method":"initialize","params":{"clientInfo":{"name":"ci","version":"1"}}}',
      '{"method":"initialized"}',
      '{"id":2,"method":"codexd/status"}',
    ]
    const script = `printf '%s\\n' ${lines.map(shellQuote).join(' ')} | ${shellQuote(process.execPath)} ${shellQuote(CODEXD_BIN)} proxy --jsonl`
    const result = await finished(spawnTracked('sh', ['-c', script], {env: home.env}))
    assert.equal(result.code, 0, result.stderr)
    const answers = result.stdout.trim().split('\n').map((line) => JSON.parse(line))
    assert.deepEqual(answers.map((answer) => answer.id), [1, 2], 'one line per answer, nothing else')
    assert.match(answers[0].result.userAgent, /^codexd-builtin\//)
    assert.equal(answers[1].result.pid, server.pid, 'the request after initialized was answered before the proxy ended')
  })

  test('malformed lines are answered with a JSON-RPC parse error and the session continues', async () => {
    const home = newHome()
    await startBuiltin(home.env, home.paths.appServerSocket)
    const proxy = spawnProxy(['--jsonl'], home.env)
    const client = new JsonlClient(proxy)
    await client.initialize()
    client.send('this is not json')
    client.send('{"id": 5, "method": "codexd/echo", "params": ')
    client.send('')
    client.send({id: 6, method: 'codexd/echo', params: {after: 'garbage'}})
    assert.deepEqual((await client.answer(6)).result, {after: 'garbage'})
    const parseErrors = client.messages.filter((message) => message.id === null)
    assert.equal(parseErrors.length, 2, JSON.stringify(client.messages))
    for (const [index, error] of parseErrors.entries()) {
      assert.equal(error.error.code, -32700)
      assert.match(error.error.message, new RegExp(`^Parse error: line ${index + 3} is not JSON`))
    }
    proxy.stdin!.end()
    assert.equal((await exitOf(proxy)).code, 0)
  })

  test('a server restart: in-flight requests get error -32099, initialize and initialized are replayed, the session goes on', () =>
    withScriptedSession(async ({server, proxy, stderr, client}) => {
      const init = await client.initialize(1, 'replay-me')
      assert.equal(init.result.userAgent, 'scripted-test-server')
      client.send({id: 2, method: 'hang'})
      client.send({id: 'three', method: 'hang'})
      const first = server.connections[0]!
      await waitFor(() => first.received.length === 4, {what: 'both hanging requests at the server'})

      server.dropAll()
      const [two, three] = [await client.answer(2), await client.answer('three')]
      for (const answer of [two, three]) {
        assert.equal(answer.error.code, SERVER_RESTARTED_CODE)
        assert.match(answer.error.message, /restarted or went away; the request hang was not answered: send it again/)
      }

      client.send({id: 4, method: 'echo', params: {n: 4}})
      assert.deepEqual((await client.answer(4)).result, {n: 4})
      const second = server.connections[1]!
      assert.equal(second.received[0].method, 'initialize')
      assert.deepEqual(second.received[0].params, first.received[0].params, 'the client\'s own initialize params')
      assert.match(String(second.received[0].id), /^codexd-proxy-replay-/)
      assert.deepEqual(second.received[1], {method: 'initialized'})
      assert.deepEqual(second.received[2], {id: 4, method: 'echo', params: {n: 4}})
      assert.deepEqual(client.messages.map((message) => message.id), [1, 2, 'three', 4], 'the replayed initialize\'s reply never reached the client')
      assert.match(stderr.text(), /went away; answered 2 request\(s\) in flight with error -32099, reconnecting/)

      proxy.stdin!.end()
      assert.equal((await exitOf(proxy)).code, 0, stderr.text())
    }))

  test('the built-in server stopped and started again: the proxy waits, replays initialize, and the new server answers', async () => {
    const home = newHome()
    const firstServer = await startBuiltin(home.env, home.paths.appServerSocket)
    // --sock: waited for although no supervisor runs (without it the proxy fails at once).
    const proxy = spawnProxy(['--jsonl', '--sock', home.paths.appServerSocket], home.env)
    const stderr = collect(proxy.stderr)
    const client = new JsonlClient(proxy)
    await client.initialize()
    client.send({id: 2, method: 'codexd/status'})
    assert.equal((await client.answer(2)).result.pid, firstServer.pid)

    firstServer.kill('SIGTERM')
    await exitOf(firstServer)
    await waitFor(() => stderr.text().includes('reconnecting'), {timeoutMs: 20_000, what: 'the proxy noticing the restart'})
    const secondServer = await startBuiltin(home.env, home.paths.appServerSocket)
    client.send({id: 3, method: 'codexd/status'})
    const status = await client.answer(3)
    assert.equal(status.error, undefined, `not "Not initialized": the proxy replayed initialize (${JSON.stringify(status)})`)
    assert.equal(status.result.pid, secondServer.pid)
    proxy.stdin!.end()
    assert.equal((await exitOf(proxy)).code, 0, stderr.text())
  })

  test('a server that does not come back within --wait-timeout: in-flight requests get -32099, then exit 10 naming the socket (of no home: no supervisor log, no --autostart)', async () => {
    const home = newHome()
    const socket = join(home.home, 'scripted.sock')
    const server = await startScriptedServer(socket)
    const proxy = spawnProxy(['--jsonl', '--sock', socket, '--wait-timeout', '1500'], home.env)
    const stderr = collect(proxy.stderr)
    const client = new JsonlClient(proxy)
    await client.initialize()
    client.send({id: 2, method: 'hang'})
    await waitFor(() => server.connections[0]?.received.length === 3, {what: 'the hanging request at the server'})
    await server.close()
    assert.equal((await client.answer(2)).error.code, SERVER_RESTARTED_CODE)
    assert.equal((await exitOf(proxy)).code, 10)
    const last = stderr.text().trim().split('\n').at(-1)!
    assert.match(last, /^codexd: no app-server answered at .* within 1\.5 s/)
    assert.ok(last.includes(socket), last)
    assert.ok(!last.includes(home.paths.supervisorLog) && !last.includes('--autostart'), last)
  })

  test('input ended with a request in flight, then the server goes away: the request gets -32099 and the proxy exits 10', () =>
    withScriptedSession(async ({home, server, proxy, stderr, client}) => {
      await client.initialize()
      client.send({id: 2, method: 'hang'})
      proxy.stdin!.end()
      await waitFor(() => server.connections[0]?.received.length === 3, {what: 'the hanging request at the server'})
      server.dropAll()
      assert.equal((await client.answer(2)).error.code, SERVER_RESTARTED_CODE)
      const exit = await exitOf(proxy)
      assert.equal(exit.code, 10)
      assert.match(stderr.text(), /went away before answering 1 request\(s\).*server side ended/)
      assert.ok(!stderr.text().includes(home.paths.supervisorLog), 'a socket of no home: CODEX_HOME\'s log is not its log')
      assert.equal(server.connections.length, 1, 'nothing left to send: no reconnect')
    }))
})
