import assert from 'node:assert/strict'
import type {ChildProcess} from 'node:child_process'
import {after, before, describe, test} from 'node:test'
import WebSocket from 'ws'
import {connectPathFor} from '../src/ground/home/socket-path.js'
import {startBuiltinServer} from './support/builtin-server.js'
import {tempHome} from '../src/ground/harness/home.js'
import {finished, killAllStarted, killGroup, spawnCodexd, spawnTracked, waitFor, type Finished} from '../src/ground/harness/processes.js'
import {installRealCodex} from '../src/ground/harness/real-codex.js'
import {childStdioDuplex} from '../src/ground/app-server-client/stdio-duplex.js'
import {listenerCount} from './support/unix-listeners.js'

let codex: {bin: string; version: string} | undefined
let skip: string | false = false

describe('interop with the real codex (@openai/codex@0.169.0 from the npm registry)', () => {
  before(async () => {
    const installed = await installRealCodex('0.169.0')
    if ('skip' in installed) skip = `npm registry unreachable, real codex not installed: ${installed.skip}`
    else codex = installed
  })
  after(killAllStarted)

  test('`codex app-server proxy --sock` reaches the built-in server and completes initialize', async (t) => {
    if (skip) return t.skip(skip)
    const home = tempHome()
    const server = await startBuiltinServer(home)
    try {
      const proxy = spawnTracked(codex!.bin, ['app-server', 'proxy', '--sock', home.paths.appServerSocket], {env: home.env, stdio: ['pipe', 'pipe', 'pipe']})
      const ws = new WebSocket('ws://codexd.invalid/', {perMessageDeflate: false, createConnection: () => childStdioDuplex(proxy) as never})
      const reply = await new Promise<any>((resolve, reject) => {
        ws.once('error', reject)
        ws.once('open', () => ws.send(JSON.stringify({id: 1, method: 'initialize', params: {clientInfo: {name: 'interop', title: 'interop', version: '1'}}})))
        ws.once('message', (data) => resolve(JSON.parse(String(data))))
      })
      assert.equal(reply.id, 1)
      assert.match(reply.result.userAgent, /^codexd-builtin\//, 'codex proxy reached codexd\'s server')
      assert.equal(reply.result.codexHome, home.home)
      proxy.stdin!.end()
      const exit = await finished(proxy)
      assert.equal(exit.code, 0, 'codex proxy exits cleanly at end of input')
    } finally {
      killGroup(server.child.pid)
      home.remove()
    }
  })

  test('a built-in server and a real codex launched together: one listener, one clean duplicate-launch error', async (t) => {
    if (skip) return t.skip(skip)
    for (let round = 0; round < 3; round++) {
      const home = tempHome()
      try {
        const builtin = spawnCodexd(['app-server', '--listen', 'unix://'], home.env)
        const real = spawnTracked(codex!.bin, ['app-server', '--listen', 'unix://'], {env: home.env})
        const outcomes = new Map<ChildProcess, Finished>()
        const stderr = new Map<ChildProcess, string>([[builtin, ''], [real, '']])
        for (const child of [builtin, real]) {
          child.stderr!.setEncoding('utf8').on('data', (chunk: string) => stderr.set(child, stderr.get(child)! + chunk))
          void finished(child).then((result) => outcomes.set(child, result))
        }
        // Settled: one exited, and the other answers on the socket.
        await waitFor(() => outcomes.size >= 1 && listenerCount(connectPathFor(home.paths.appServerSocket)) >= 1, {timeoutMs: 30_000, what: 'one launch to win and the other to fail'})
        assert.equal(outcomes.size, 1, 'exactly one of the two exited')
        const [[loser, result]] = [...outcomes]
        if (loser === builtin) {
          assert.equal(result.code, 6)
          // When codex held the startup lock first, a "waiting for the startup lock" notice comes before the error.
          const lines = result.stderr.trim().split('\n')
          assert.equal(lines.at(-1), `codexd: app-server control socket is already in use at ${home.paths.appServerSocket}`)
          assert.deepEqual(lines.slice(0, -1).filter((line) => !line.startsWith('codexd app-server: waiting for the startup lock')), [], 'no other output')
        } else {
          assert.equal(result.code, 1)
          assert.match(stderr.get(real)!, new RegExp(`Error: app-server control socket is already in use at ${home.paths.appServerSocket.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`))
        }
        assert.equal(listenerCount(connectPathFor(home.paths.appServerSocket)), 1, 'exactly one listener')
        assert.doesNotMatch([...stderr.values()].join('\n'), /already exists|malformed|Address in use|EADDRINUSE/)
      } finally {
        killAllStarted()
        home.remove()
      }
    }
  })
})
