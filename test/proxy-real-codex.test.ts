// `codexd proxy` against the real `codex app-server --listen unix://` from @openai/codex@0.169.0
// (issue 4, point 1): a WebSocket client gets the same answers through `codexd proxy` as through
// codex's own `codex app-server proxy`; the client's close ends the proxy with 0, the server's end
// with 10. Skipped (with the reason) only when the npm registry cannot be reached.
import assert from 'node:assert/strict'
import {once} from 'node:events'
import {after, before, describe, test} from 'node:test'
import type WebSocket from 'ws'
import {probeSocket} from '../src/ground/startup/socket-probe.js'
import {tempHome, type TempHome} from '../src/ground/harness/home.js'
import {killAllStarted, spawnTracked, waitFor} from '../src/ground/harness/processes.js'
import {collect, exitOf, spawnProxy, wsThroughProxy} from './support/proxy-stdio.js'
import {installRealCodex} from '../src/ground/harness/real-codex.js'

const VERSION = '0.169.0'
let codex: {bin: string; version: string} | {skip: string}
const homes: TempHome[] = []

before(async () => {
  codex = await installRealCodex(VERSION)
})
after(() => {
  killAllStarted()
  for (const home of homes) home.remove()
})

/** Starts the real codex app-server on the home's control socket and waits until it accepts. */
async function startRealCodex(bin: string) {
  const home = tempHome('codexd-proxy-codex-')
  homes.push(home)
  const server = spawnTracked(bin, ['app-server', '--listen', 'unix://'], {env: home.env})
  const log = collect(server.stderr)
  server.stdout?.resume()
  await waitFor(async () => server.exitCode !== null || (await probeSocket(home.paths.appServerSocket)).kind === 'live', {timeoutMs: 60_000, what: `codex ${VERSION} app-server on ${home.paths.appServerSocket}`})
  assert.equal(server.exitCode, null, `codex app-server exited: ${log.text()}`)
  return {home, server}
}

/** The script both proxies carry: a request before initialize, initialize, initialized, a second initialize. */
const SCRIPT = [
  {id: 10, method: 'thread/list', params: {}},
  {id: 11, method: 'initialize', params: {clientInfo: {name: 'codexd-proxy-test', title: 'codexd proxy test', version: '0.0.0'}}},
  {method: 'initialized'},
  {id: 12, method: 'initialize', params: {clientInfo: {name: 'codexd-proxy-test', version: '0.0.0'}}},
]

/** Plays SCRIPT over `ws` and resolves with the answers to ids 10, 11 and 12 (notifications skipped). */
async function playScript(ws: WebSocket): Promise<Record<number, unknown>> {
  const answers: Record<number, unknown> = {}
  ws.on('message', (data) => {
    const message = JSON.parse(String(data))
    if (message.id !== undefined && message.method === undefined) answers[message.id] = message
  })
  for (const message of SCRIPT) ws.send(JSON.stringify(message))
  await waitFor(() => Object.keys(answers).length === 3, {timeoutMs: 30_000, what: 'the answers to the script'})
  return answers
}

describe(`codexd proxy with the real codex ${VERSION} app-server`, {timeout: 600_000}, () => {
  test('gives a WebSocket client the same answers as `codex app-server proxy`; the client\'s close exits 0', async (t) => {
    if ('skip' in codex) return t.skip(`real codex unavailable: ${codex.skip}`)
    const {home} = await startRealCodex(codex.bin)

    const ours = spawnProxy([], home.env)
    const oursStderr = collect(ours.stderr)
    const oursWs = await wsThroughProxy(ours)
    const throughCodexd = await playScript(oursWs)

    const theirs = spawnTracked(codex.bin, ['app-server', 'proxy'], {env: home.env, stdio: ['pipe', 'pipe', 'pipe']})
    const theirsWs = await wsThroughProxy(theirs)
    const throughCodex = await playScript(theirsWs)

    assert.deepEqual(throughCodexd, throughCodex)
    const init = throughCodexd[11] as {result: {userAgent: string; codexHome: string}}
    assert.match(init.result.userAgent, new RegExp(`/${VERSION.replaceAll('.', '\\.')} `), 'answered by the real codex')
    assert.equal((throughCodexd[12] as {error: {message: string}}).error.message, 'Already initialized')

    oursWs.close()
    assert.equal((await exitOf(ours)).code, 0, oursStderr.text())
    assert.equal(oursStderr.text(), '')
    theirs.kill('SIGTERM') // codex's proxy lingers after the close handshake; only ours is under test
  })

  test('when the real app-server stops, the proxy ends the client\'s stream and exits 10', async (t) => {
    if ('skip' in codex) return t.skip(`real codex unavailable: ${codex.skip}`)
    const {home, server} = await startRealCodex(codex.bin)
    const proxy = spawnProxy([], home.env)
    const stderr = collect(proxy.stderr)
    const ws = await wsThroughProxy(proxy)
    await playScript(ws)
    const closed = once(ws, 'close')
    server.kill('SIGTERM')
    await closed
    assert.equal((await exitOf(proxy)).code, 10)
    assert.match(stderr.text(), /server side ended/)
    assert.ok(stderr.text().includes(home.paths.appServerSocket))
  })

  test('--jsonl carries a script to the real app-server and answers every request before exiting 0', async (t) => {
    if ('skip' in codex) return t.skip(`real codex unavailable: ${codex.skip}`)
    const {home} = await startRealCodex(codex.bin)
    const proxy = spawnProxy(['--jsonl'], home.env)
    const stdout = collect(proxy.stdout)
    const stderr = collect(proxy.stderr)
    proxy.stdin!.end(SCRIPT.map((message) => JSON.stringify(message)).join('\n') + '\n')
    assert.equal((await exitOf(proxy)).code, 0, stderr.text())
    const answers = stdout.text().trim().split('\n').map((line) => JSON.parse(line)).filter((message) => message.method === undefined)
    assert.deepEqual(answers.map((answer) => answer.id).sort(), [10, 11, 12])
    assert.match(answers.find((answer) => answer.id === 11).result.userAgent, /\/0\.169\.0 /)
  })
})
