// Waiting for a (re)starting server (issue 4, point 3): while the socket is absent or refusing,
// `codexd proxy` retries with backoff up to --wait-timeout, says so on stderr after about a
// second, and gives up with one line naming the socket and the supervisor log.
// CODEXD_NO_SPAWN=1 makes --autostart start nothing.
import assert from 'node:assert/strict'
import {existsSync} from 'node:fs'
import {describe, test} from 'node:test'
import {probeSocket} from '../src/ground/startup/socket-probe.js'
import {spawnTracked, waitFor} from '../src/ground/harness/processes.js'
import {collect, exitOf, homesForFile, JsonlClient, processesUsingHome, rpcThroughProxy, spawnProxy, startBuiltin} from './support/proxy-stdio.js'

const newHome = homesForFile('codexd-proxy-wait-')

describe('codexd proxy waits for the server', {timeout: 120_000}, () => {
  test('an absent socket is waited for, with progress on stderr, until the server appears', async () => {
    const home = newHome()
    // --sock: a socket named explicitly is waited for even though no supervisor runs (without it,
    // the proxy fails at once: test/robust-proxy.test.ts).
    const proxy = spawnProxy(['--jsonl', '--sock', home.paths.appServerSocket], home.env)
    const stderr = collect(proxy.stderr)
    const client = new JsonlClient(proxy)
    await waitFor(() => stderr.text().includes(`waiting for the app-server at ${home.paths.appServerSocket} (${home.paths.appServerSocket} does not exist)`), {timeoutMs: 20_000, what: 'the progress line'})
    assert.equal(proxy.exitCode, null, 'still waiting')

    client.send({id: 1, method: 'initialize', params: {clientInfo: {name: 'late', version: '1'}}})
    const server = await startBuiltin(home.env, home.paths.appServerSocket)
    const answer = await client.answer(1)
    assert.match(answer.result.userAgent, /^codexd-builtin\//)
    client.send({method: 'initialized'})
    client.send({id: 2, method: 'codexd/status'})
    assert.equal((await client.answer(2)).result.pid, server.pid)
    proxy.stdin!.end()
    assert.equal((await exitOf(proxy)).code, 0, stderr.text())
  })

  test('a stale socket that refuses connections is waited out until a server takes it over', async () => {
    const home = newHome()
    const socket = home.paths.appServerSocket
    // A listener killed with SIGKILL leaves its socket file behind: connect() is refused.
    const holder = spawnTracked(process.execPath, ['-e', `require('fs').mkdirSync(${JSON.stringify(home.paths.controlDir)}, {mode: 0o700}); require('net').createServer().listen(${JSON.stringify(socket)}, () => console.log('up'))`])
    await waitFor(async () => (await probeSocket(socket)).kind === 'live', {what: 'the short-lived listener'})
    holder.kill('SIGKILL')
    await exitOf(holder)
    assert.equal((await probeSocket(socket)).kind, 'refused')

    const proxy = spawnProxy(['--sock', socket], home.env)
    const stderr = collect(proxy.stderr)
    await waitFor(() => stderr.text().includes('refuses connections'), {timeoutMs: 20_000, what: 'the progress line about a refusing socket'})
    // The client sends its WebSocket upgrade while the proxy is still waiting: it is delivered later.
    const connecting = rpcThroughProxy(proxy)
    await startBuiltin(home.env, socket)
    const client = await connecting
    assert.match((await client.initialize()).userAgent, /^codexd-builtin\//)
    client.close()
    assert.equal((await exitOf(proxy)).code, 0, stderr.text())
  })

  test('gives up after --wait-timeout with exit 10 and one line naming the socket and the supervisor log', async () => {
    const home = newHome()
    const proxy = spawnProxy(['--sock', home.paths.appServerSocket, '--wait-timeout', '1500'], home.env)
    const stderr = collect(proxy.stderr)
    const exit = await exitOf(proxy)
    assert.equal(exit.code, 10)
    const lines = stderr.text().trim().split('\n')
    assert.match(lines[0]!, /waiting for the app-server/, 'progress came first')
    const last = lines.at(-1)!
    assert.match(last, /^codexd: no app-server answered at .* within 1\.5 s/)
    assert.ok(last.includes(home.paths.appServerSocket), last)
    assert.ok(last.includes(home.paths.supervisorLog), last)
    assert.match(last, /codexd start/)
  })

  test('CODEXD_NO_SPAWN=1 makes --autostart an error that says so, and nothing is started', async () => {
    const home = newHome()
    const proxy = spawnProxy(['--autostart'], {...home.env, CODEXD_NO_SPAWN: '1'})
    const stderr = collect(proxy.stderr)
    const exit = await exitOf(proxy)
    assert.equal(exit.code, 10)
    assert.match(stderr.text(), /CODEXD_NO_SPAWN=1 forbids --autostart/)
    assert.ok(stderr.text().includes(home.paths.appServerSocket))
    assert.deepEqual(processesUsingHome(home.home), [], 'no supervisor or app-server runs for this home')
    assert.equal(existsSync(home.paths.supervisorLog), false, 'the ensure path never ran')
    assert.equal((await probeSocket(home.paths.supervisorSocket)).kind, 'absent')
  })
})
