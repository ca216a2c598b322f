import assert from 'node:assert/strict'
import {lstatSync, mkdtempSync, rmSync, statSync} from 'node:fs'
import {spawnSync} from 'node:child_process'
import {createServer, type Socket} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'
import {CodexdError} from '../src/shared/errors/codexd-error.js'
import {homePaths} from '../src/shared/home/codex-home.js'
import {ensurePrivateDir} from '../src/shared/home/private-dir.js'
import {controlRequest} from '../src/client/control/client.js'
import {startControlServer} from '../src/daemon/control/server.js'

describe('control socket (JSON lines)', () => {
  const home = mkdtempSync(join(tmpdir(), 'codexd-control-'))
  const paths = homePaths(home)
  ensurePrivateDir(paths.codexdDir)
  after(() => rmSync(home, {recursive: true, force: true}))

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
    const server = await startControlServer(paths, async (request) => {
      seen.push(request.type)
      if (request.type === 'restart') throw new CodexdError('nope', 'cannot restart now', 8)
      return {response: {pong: request.type}}
    })
    try {
      assert.equal(statSync(paths.supervisorSocket).mode & 0o777, 0o600)
      assert.deepEqual(await controlRequest(paths, {type: 'ping'}), {ok: true, pong: 'ping'})
      await assert.rejects(controlRequest(paths, {type: 'restart'}), (error: CodexdError) => error.code === 'nope' && /cannot restart now/.test(error.message))
      await assert.rejects(controlRequest(paths, {type: 'bogus' as 'ping'}), (error: CodexdError) => error.code === 'bad-request')
      assert.deepEqual(seen, ['ping', 'restart'])
    } finally {
      await server.close()
    }
    await assert.rejects(controlRequest(paths, {type: 'ping'}), (error: CodexdError) => error.code === 'supervisor-not-running')
  })
})
