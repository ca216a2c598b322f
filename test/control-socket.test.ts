import assert from 'node:assert/strict'
import {lstatSync, statSync} from 'node:fs'
import {spawnSync} from 'node:child_process'
import {connect, createServer, type Socket} from 'node:net'
import {after, describe, it} from 'node:test'
import {CodexdError} from '../src/ground/errors/codexd-error.js'
import {tempHome} from '../src/ground/harness/home.js'
import {ensurePrivateDir} from '../src/ground/home/private-dir.js'
import {controlRequest} from '../src/client/control/client.js'
import {startControlServer} from '../src/daemon/control/server.js'

describe('control socket (JSON lines)', {timeout: 60_000}, () => {
  const home = tempHome('codexd-control-')
  const {paths} = home
  ensurePrivateDir(paths.codexdDir)
  after(() => home.remove())

  it('nothing listening: supervisor-not-running (exit 3)', async () => {
    await assert.rejects(controlRequest(paths, {type: 'ping'}), (error: CodexdError) => error.code === 'supervisor-not-running' && error.exitCode === 3)
  })

  it('a listener that never answers: supervisor-unreachable (exit 4) after the timeout', async () => {
    const connections: Socket[] = []
    const silent = createServer((socket) => connections.push(socket))
    await new Promise<void>((resolve) => silent.listen(paths.supervisorSocket, resolve))
    try {
      await assert.rejects(controlRequest(paths, {type: 'status'}, 300), (error: CodexdError) => error.code === 'supervisor-unreachable' && error.exitCode === 4 && /did not answer 'status' within 300 ms/.test(error.message))
    } finally {
      for (const socket of connections) socket.destroy()
      await new Promise<void>((resolve) => silent.close(() => resolve()))
    }
  })

  it('answers each request line, replaces a stale socket file, binds 0600, and refuses unknown types', async () => {
    // A stale socket file: its listener was SIGKILLed (a clean close would have unlinked it).
    spawnSync(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(paths.supervisorSocket)}, () => process.kill(process.pid, 'SIGKILL'))`])
    assert.ok(lstatSync(paths.supervisorSocket).isSocket())
    const seen: string[] = []
    const pong = {pid: process.pid, childState: 'running', childPid: null} as const
    const server = await startControlServer(paths, {
      ping: async (request) => (seen.push(request.type), {response: pong}),
      status: async () => assert.fail('not asked'),
      start: async () => assert.fail('not asked'),
      stop: async () => assert.fail('not asked'),
      restart: async (request) => {
        seen.push(request.type)
        throw new CodexdError('nope', 'cannot restart now', 8)
      },
    })
    try {
      assert.equal(statSync(paths.supervisorSocket).mode & 0o777, 0o600)
      assert.deepEqual(await controlRequest(paths, {type: 'ping'}), pong, 'the typed answer, without the wire\'s ok')
      await assert.rejects(controlRequest(paths, {type: 'restart'}), (error: CodexdError) => error.code === 'nope' && /cannot restart now/.test(error.message))
      // The client refuses a type the protocol does not have without sending it...
      await assert.rejects(controlRequest(paths, {type: 'bogus' as 'ping'}), (error: CodexdError) => error.code === 'unknown-request' && error.exitCode === 1 && /'bogus'.*ping, status, stop, restart, start/.test(error.message))
      // ...and the server answers one sent anyway with bad-request, naming the known types.
      assert.deepEqual(await rawExchange(paths.supervisorSocket, '{"type":"bogus"}\n{"type":"stop","graceMs":"soon"}\n{"type":"restart","graceMs":-1}\n', 3), [
        {ok: false, error: 'unknown request type; expected one of ping, status, stop, restart, start', code: 'bad-request'},
        {ok: false, error: "malformed 'stop' request: graceMs must be a number >= 0 and wait a boolean", code: 'bad-request'},
        {ok: false, error: "malformed 'restart' request: graceMs must be a number >= 0 and wait a boolean", code: 'bad-request'},
      ])
      assert.deepEqual(seen, ['ping', 'restart'])
    } finally {
      await server.close()
    }
    await assert.rejects(controlRequest(paths, {type: 'ping'}), (error: CodexdError) => error.code === 'supervisor-not-running')
  })

  it('an answer that is not JSON, not an object, or not the request\'s answer shape: supervisor-bad-answer (exit 4)', async () => {
    const answers = ['pong', '[1]', '{"ok":true,"pid":"1","childState":"running","childPid":null}', '{"ok":true,"pid":1,"childState":"dancing","childPid":null}', '{"ok":true,"stopped":true}']
    const liar = createServer((socket) => socket.once('data', () => socket.end(`${answers.shift()}\n`)))
    await new Promise<void>((resolve) => liar.listen(paths.supervisorSocket, resolve))
    try {
      for (const [type, what] of [['ping', 'not JSON'], ['ping', 'other than a JSON object'], ['ping', "not a 'ping' answer"], ['ping', "not a 'ping' answer"], ['stop', "not a 'stop' answer"]] as const) {
        await assert.rejects(controlRequest(paths, {type}), (error: CodexdError) => error.code === 'supervisor-bad-answer' && error.exitCode === 4 && error.message.includes(what), `${type}: ${what}`)
      }
    } finally {
      await new Promise<void>((resolve) => liar.close(() => resolve()))
    }
  })
})

/** Writes `text` on a fresh connection to `path` and resolves with the first `count` answer lines, parsed. */
async function rawExchange(path: string, text: string, count: number): Promise<unknown[]> {
  const socket = connect(path)
  let buffer = ''
  socket.setEncoding('utf8').write(text)
  try {
    return await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${count} answers within 5 s: ${buffer}`)), 5000)
      socket.on('data', (chunk: string) => {
        buffer += chunk
        const lines = buffer.split('\n').filter(Boolean)
        if (lines.length >= count) {
          clearTimeout(timer)
          resolve(lines.slice(0, count).map((line) => JSON.parse(line)))
        }
      })
    })
  } finally {
    socket.destroy()
  }
}
