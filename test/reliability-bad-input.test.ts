import assert from 'node:assert/strict'
import {once} from 'node:events'
import {chmodSync, readdirSync, writeFileSync} from 'node:fs'
import {connect} from 'node:net'
import {join} from 'node:path'
import {after, before, describe, test} from 'node:test'
import {startBuiltinServer, type StartedServer} from './support/builtin-server.js'
import {tempHome, type TempHome} from '../src/ground/harness/home.js'
import {finished, isAlive, killAllStarted, runCodexd, spawnCodexd, trackPid, waitFor} from '../src/ground/harness/processes.js'
import {rssKiB} from './support/proc-stats.js'
import {LineClient} from './support/raw-lines.js'
import {homeProcesses, status, supervisedHome, type SupervisedHome} from './support/supervisor-home.js'
import {RpcClient} from './support/ws-client.js'

const MiB = 1024 * 1024

describe('bad flags, --listen URLs and --server values', () => {
  const homes: SupervisedHome[] = []
  const home = () => {
    const made = supervisedHome('builtin')
    homes.push(made)
    return made
  }
  after(async () => {
    for (const made of homes) await made.cleanup()
  })

  const FLAGS: [string[], RegExp][] = [
    [['start', '--bogus'], /unknown flag --bogus/],
    [['start', '--timeout', 'abc'], /--timeout must be a whole number >= 1, got "abc"/],
    [['start', '--timeout', '0'], /--timeout must be a whole number >= 1, got "0"/],
    [['status', '--timeout', '-5'], /--timeout .*got "-5"/],
    [['stop', '--grace', 'x'], /--grace .*got "x"/],
    [['app-server', '--lock-timeout', 'x'], /--lock-timeout .*got "x"/],
    [['app-server', '--listen'], /--listen needs a value/],
    [['proxy', '--wait-timeout', 'soon'], /--wait-timeout .*got "soon"/],
    [['run', '--bogus'], /unknown flag --bogus/],
  ]
  for (const [args, pattern] of FLAGS) {
    test(`codexd ${args.join(' ')}: usage error (exit 2) naming the flag; nothing created or started`, async () => {
      const made = home()
      const result = await runCodexd(args, made.env)
      assert.equal(result.code, 2, result.stderr)
      assert.match(result.stderr, pattern)
      assert.deepEqual(readdirSync(made.home), [], 'nothing created in CODEX_HOME')
      assert.deepEqual(homeProcesses(made.home), [])
    })
  }

  for (const args of [['bogus'], ['service', 'bogus'], ['help', 'bogus']]) {
    test(`codexd ${args.join(' ')}: one line naming the unknown command and the way out (exit 2); nothing created or started`, async () => {
      const made = home()
      const result = await runCodexd(args, made.env)
      const typed = args[0] === 'help' ? args.slice(1) : args
      assert.equal(result.stderr, `codexd: unknown command "${typed.join(' ')}": run codexd --help to see the commands\n`)
      assert.equal(result.code, 2)
      assert.deepEqual(readdirSync(made.home), [], 'nothing created in CODEX_HOME')
      assert.deepEqual(homeProcesses(made.home), [])
    })
  }

  test('codexd help [COMMAND] shows the same help as --help (exit 0)', async () => {
    const made = home()
    for (const args of [[], ['proxy'], ['service', 'install']]) {
      const help = await runCodexd(['help', ...args], made.env)
      const flag = await runCodexd([...args, '--help'], made.env)
      assert.equal(help.code, 0, help.stderr)
      assert.match(help.stdout, /USAGE/)
      assert.equal(help.stdout, flag.stdout)
    }
  })

  for (const url of ['tcp://127.0.0.1:9', 'ws+unix:///tmp/x.sock', 'unix:', 'stdio://extra', '']) {
    test(`--listen '${url}': usage error (exit 2) naming the value and the accepted forms; nothing created`, async () => {
      const made = home()
      const result = await runCodexd(['app-server', '--listen', url], made.env)
      assert.equal(result.code, 2)
      assert.equal(result.stderr, `codexd: invalid --listen URL '${url}': expected stdio://, unix:// or unix://PATH\n`)
      assert.deepEqual(readdirSync(made.home), [])
    })
  }

  for (const value of ['', '   ']) {
    test(`start --server '${value}': usage error (exit 2) before anything is spawned`, async () => {
      const made = home()
      const result = await runCodexd(['start', '--server', value], made.env)
      assert.equal(result.code, 2, result.stderr)
      assert.equal(result.stderr, 'codexd: --server (or CODEXD_SERVER) is empty: use auto, builtin, codex or a command\n')
      assert.deepEqual(homeProcesses(made.home), [], 'no supervisor was started')
    })
  }

  for (const [what, make, said] of [
    ['missing', (_dir: string) => '/nonexistent/codex-app-server', /does not exist/],
    ['not executable', (dir: string) => {
      const file = join(dir, 'server.sh')
      writeFileSync(file, '#!/bin/sh\nexit 0\n')
      chmodSync(file, 0o644)
      return file
    }, /not executable/],
  ] as const) {
    test(`--server with a binary that is ${what}: start fails at once (exit 8) in one line naming it; nothing is left running (test/robust-start.test.ts for more)`, async () => {
      const made = home()
      const binary = make(made.home)
      const result = await runCodexd(['start', '--server', binary], made.env)
      assert.equal(result.code, 8)
      assert.equal(result.stderr.trim().split('\n').length, 1, 'one line')
      assert.ok(result.stderr.includes(binary), result.stderr)
      assert.match(result.stderr, said)
      assert.deepEqual(homeProcesses(made.home), [], 'no supervisor was started')
      assert.equal((await status(made.env)).code, 3)
    })
  }
})

describe('bad input on the supervisor control socket', () => {
  const home = supervisedHome('builtin')
  let supervisorPid: number
  before(async () => {
    const started = await runCodexd(['start'], home.env)
    assert.equal(started.code, 0, started.stderr)
    supervisorPid = (await status(home.env)).report.supervisor!.pid
    trackPid(supervisorPid)
  })
  after(() => home.cleanup())

  /** A second client works after each abuse: the supervisor answers, the child still serves. */
  async function bystanderWorks(): Promise<void> {
    const client = await LineClient.connect(home.paths.supervisorSocket)
    client.socket.write('{"type":"ping"}\n')
    const answer = await client.line(1)
    client.socket.end()
    assert.equal(answer.ok, true)
    assert.equal(answer.pid, supervisorPid)
    assert.equal(answer.childState, 'running')
  }

  test('non-JSON and malformed requests get an error line each; the connection stays open for the next request', async () => {
    const client = await LineClient.connect(home.paths.supervisorSocket)
    client.socket.write('hello\n[]\nnull\n42\n{"type":"reboot"}\n{"type":"ping"}\n')
    assert.deepEqual(await client.line(1), {ok: false, error: 'request is not JSON', code: 'bad-request'})
    for (let n = 2; n <= 5; n++) assert.deepEqual(await client.line(n), {ok: false, error: 'unknown request type; expected one of ping, status, stop, restart, start', code: 'bad-request'})
    const pong = await client.line(6)
    assert.equal(pong.ok, true)
    client.socket.end()
    await bystanderWorks()
  })

  test('pipelined requests are answered in the order they were sent', async () => {
    const client = await LineClient.connect(home.paths.supervisorSocket)
    client.socket.write('{"type":"status"}\n{"type":"ping"}\n')
    const first = await client.line(1)
    const second = await client.line(2)
    client.socket.end()
    assert.ok('events' in first, 'the status answer comes first')
    assert.ok(!('events' in second) && second.childState === 'running', 'then the ping answer')
  })

  test('a truncated request (no newline, then end of input) gets no answer and changes nothing', async () => {
    const client = await LineClient.connect(home.paths.supervisorSocket)
    client.socket.end('{"type":"sto')
    await client.whenClosed()
    assert.deepEqual(client.lines, [])
    await bystanderWorks()
  })

  test('a client that never finishes its line does not block others', async () => {
    const idle = await LineClient.connect(home.paths.supervisorSocket)
    idle.socket.write('{"type":"pi')
    await bystanderWorks()
    assert.equal((await status(home.env)).code, 0)
    idle.socket.destroy()
  })

  test('an oversized request (over 1 MiB without a newline) gets an error, the connection is closed, and the rest is not buffered', async () => {
    const before = rssKiB(supervisorPid)
    const client = await LineClient.connect(home.paths.supervisorSocket, true)
    // Keep writing long after the limit: the supervisor must drop the connection, not buffer it all.
    const chunk = Buffer.alloc(MiB, 'x')
    let written = 0
    while (!client.closed && written < 256 * MiB) {
      if (!client.socket.write(chunk)) await new Promise((resolve) => client.socket.once('drain', resolve).once('close', resolve))
      written += MiB
    }
    await client.whenClosed()
    assert.deepEqual(JSON.parse(client.lines[0]), {ok: false, error: 'request line too long', code: 'bad-request'})
    assert.ok(written < 256 * MiB, `the supervisor hung up instead of reading all ${written / MiB} MiB`)
    const grownMiB = (rssKiB(supervisorPid) - before) / 1024
    assert.ok(grownMiB < 64, `supervisor memory grew by ${grownMiB.toFixed(1)} MiB`)
    await bystanderWorks()
  })
})

describe('bad input on the built-in app-server', () => {
  let home: TempHome
  let server: StartedServer
  let bystander: RpcClient
  before(async () => {
    home = tempHome()
    server = await startBuiltinServer(home)
    bystander = await RpcClient.connect(home.paths.appServerSocket)
    await bystander.initialize('bystander')
  })
  after(() => {
    bystander?.close()
    killAllStarted()
    home.remove()
  })

  /** The server is alive, the bystander's session still works, and only `connections` clients are open. */
  async function bystanderWorks(connections = 1): Promise<void> {
    assert.ok(server.child.pid && isAlive(server.child.pid))
    assert.deepEqual((await bystander.request('codexd/echo', {still: 'here'})).result, {still: 'here'})
    await waitFor(async () => (await bystander.request('codexd/status')).result.connections === connections, {what: `${connections} open connection(s)`})
  }

  test('non-JSON, truncated JSON and invalid messages get JSON-RPC errors; the connection stays open', async () => {
    const client = await RpcClient.connect(home.paths.appServerSocket)
    const answers: any[] = []
    client.socket.on('message', (data) => answers.push(JSON.parse(String(data))))
    for (const text of ['not json', '{"id":1,"method":"initia', '[]', 'null', '{"id":{},"method":"x"}', '{"id":2}']) client.socket.send(text)
    client.socket.send(Buffer.from([0xff, 0xfe, 0x7b]), {binary: true})
    await waitFor(() => answers.length === 7, {what: 'seven error answers'})
    assert.deepEqual(answers.map((answer) => answer.error.code), [-32700, -32700, -32600, -32600, -32600, -32600, -32700])
    await client.initialize()
    assert.deepEqual((await client.request('codexd/echo', [1])).result, [1], 'the same connection still serves')
    client.close()
    await bystanderWorks()
  })

  test('an oversized message (16 MiB + 1) closes that connection with 1009; others are unaffected', async () => {
    const client = await RpcClient.connect(home.paths.appServerSocket)
    await client.initialize()
    const closed = once(client.socket, 'close')
    client.socket.send(JSON.stringify({id: 9, method: 'codexd/echo', params: 'x'.repeat(16 * MiB)}))
    const [code] = await closed
    // 1009 (message too big) when the close frame arrives first; 1006 when the hang-up cut the client's send short.
    assert.ok(code === 1009 || code === 1006, `closed with ${code}`)
    await bystanderWorks()
  })

  test('a WebSocket frame cut short, then the client gone: the connection is dropped; others are unaffected', async () => {
    const raw = await upgradedRawSocket(home.paths.appServerSocket)
    // A masked text frame announcing 1000 bytes, of which only 10 arrive.
    raw.write(Buffer.concat([Buffer.from([0x81, 0x80 | 126, 0x03, 0xe8, 1, 2, 3, 4]), Buffer.alloc(10, 0x41)]))
    await waitFor(async () => (await bystander.request('codexd/status')).result.connections === 2, {what: 'the raw client to count as connected'})
    raw.destroy()
    await bystanderWorks()
  })

  test('a frame that breaks the protocol (unmasked from a client) closes that connection with 1002', async () => {
    const raw = await upgradedRawSocket(home.paths.appServerSocket)
    let received = Buffer.alloc(0)
    raw.on('data', (chunk: Buffer) => (received = Buffer.concat([received, chunk])))
    raw.write(Buffer.from([0x81, 0x02, 0x7b, 0x7d]))
    await once(raw, 'close')
    assert.equal(received[0], 0x88, 'a close frame')
    assert.equal(received.readUInt16BE(2), 1002)
    await bystanderWorks()
  })

  test('bytes that are not HTTP get 400 and a closed connection; a plain HTTP request gets 426', async () => {
    const garbage = await rawExchange(home.paths.appServerSocket, '\x00\x01garbage\r\n\r\n')
    assert.match(garbage, /^HTTP\/1\.1 400 /)
    const plain = await rawExchange(home.paths.appServerSocket, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
    assert.match(plain, /^HTTP\/1\.1 426 /)
    await bystanderWorks()
  })

  test('stdio://: a non-JSON line gets a parse error line, the session continues, a truncated last line is answered too', async () => {
    const child = spawnCodexd(['app-server', '--listen', 'stdio://'], home.env, {stdio: ['pipe', 'pipe', 'pipe']})
    child.stdin!.end('garbage\n{"id":1,"method":"initialize","params":{"clientInfo":{"name":"t"}}}\n{"id":2,"method":"codexd/echo","params":7}\n{"id":3,"meth')
    const result = await finished(child)
    assert.equal(result.code, 0)
    const lines = result.stdout.trim().split('\n').map((line) => JSON.parse(line))
    assert.deepEqual(lines.map((line) => line.error?.code ?? 'ok'), [-32700, 'ok', 'ok', -32700])
    assert.equal(lines[2].result, 7)
  })
})

/** Connects to `path` and completes a WebSocket upgrade by hand; resolves with the raw socket. */
async function upgradedRawSocket(path: string) {
  const socket = connect({path})
  await once(socket, 'connect')
  socket.write('GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n')
  let head = ''
  const onHead = (chunk: Buffer) => (head += chunk.toString('latin1'))
  socket.on('data', onHead)
  socket.on('error', () => {})
  await waitFor(() => head.includes('\r\n\r\n'), {what: 'the 101 answer'})
  socket.off('data', onHead)
  assert.match(head, /^HTTP\/1\.1 101 /)
  return socket
}

/** Sends `text` on a raw connection and returns everything the server sent until it closed. */
async function rawExchange(path: string, text: string): Promise<string> {
  const socket = connect({path})
  let received = ''
  socket.setEncoding('latin1').on('data', (chunk: string) => (received += chunk))
  socket.on('error', () => {})
  await once(socket, 'connect')
  socket.write(text)
  await once(socket, 'close')
  return received
}
