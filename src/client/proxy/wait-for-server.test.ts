import assert from 'node:assert/strict'
import {describe, test} from 'node:test'
import {CodexdError} from '../../ground/errors/codexd-error.js'
import {ExitCode} from '../../ground/errors/exit-codes.js'
import {ConnectError} from './connect-unix.js'
import {waitForServer, type WaitOptions} from './wait-for-server.js'

const base: WaitOptions = {socket: '/run/x/app.sock', owner: {supervisorLog: '/home/u/.codex/codexd/supervisor.log', fix: 'start it with codexd start'}, waitTimeoutMs: 5000, progress: () => {}}

/** An attempt that fails with `failures` in turn, then succeeds; counts its calls. */
function scripted(failures: ConnectError[]) {
  let calls = 0
  return {
    calls: () => calls,
    attempt: async () => {
      const failure = failures[calls++]
      if (failure) throw failure
      return 'connected'
    },
  }
}

describe('waitForServer', () => {
  test('retries absent, refusing and timed-out sockets until one answers', async () => {
    const script = scripted([new ConnectError('absent', 'ENOENT', 'gone'), new ConnectError('refused', 'ECONNREFUSED', 'stale'), new ConnectError('timeout', undefined, 'slow')])
    assert.equal(await waitForServer(script.attempt, base), 'connected')
    assert.equal(script.calls(), 4)
  })

  test('a failure that waiting cannot fix ends at once with exit 10', async () => {
    const script = scripted([new ConnectError('other', 'EACCES', '/run/x/app.sock cannot be connected to (EACCES)')])
    await assert.rejects(waitForServer(script.attempt, base), (error: CodexdError) => {
      assert.equal(error.code, 'proxy-connect-failed')
      assert.equal(error.exitCode, ExitCode.ProxyFailed)
      assert.match(error.message, /EACCES/)
      return true
    })
    assert.equal(script.calls(), 1)
  })

  test('gives up at the deadline naming the socket, what was found, and the supervisor log', async () => {
    const lines: string[] = []
    const attempt = async () => {
      throw new ConnectError('absent', 'ENOENT', '/run/x/app.sock does not exist')
    }
    await assert.rejects(waitForServer(attempt, {...base, waitTimeoutMs: 300, progressAfterMs: 0, progress: (line) => lines.push(line)}), (error: CodexdError) => {
      assert.equal(error.code, 'proxy-unreachable')
      assert.equal(error.exitCode, ExitCode.ProxyFailed)
      assert.match(error.message, /^no app-server answered at \/run\/x\/app\.sock within 0\.3 s \(\/run\/x\/app\.sock does not exist\)/)
      assert.ok(error.message.includes(base.owner.supervisorLog!))
      return true
    })
    assert.match(lines[0]!, /^codexd proxy: waiting for the app-server at \/run\/x\/app\.sock/)
  })

  test('runs the autostart hook once, after the first failure, with the time left', async () => {
    const script = scripted([new ConnectError('absent', 'ENOENT', 'gone'), new ConnectError('absent', 'ENOENT', 'gone'), new ConnectError('refused', 'ECONNREFUSED', 'stale')])
    const remaining: number[] = []
    await waitForServer(script.attempt, {...base, onUnreachable: async (ms) => void remaining.push(ms)})
    assert.equal(remaining.length, 1)
    assert.ok(remaining[0]! > 0 && remaining[0]! <= base.waitTimeoutMs)
  })

  test('an autostart failure ends the wait with its own error', async () => {
    const script = scripted([new ConnectError('absent', 'ENOENT', 'gone')])
    const failure = new CodexdError('start-failed', 'the app-server is crash-looping', ExitCode.ChildFailed)
    await assert.rejects(waitForServer(script.attempt, {...base, onUnreachable: async () => Promise.reject(failure)}), (error) => error === failure)
    assert.equal(script.calls(), 1)
  })
})
