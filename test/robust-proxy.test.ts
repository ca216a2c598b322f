// codexd proxy fails fast and says what to do (issue 13.5): no supervisor and no --autostart is
// an error at once (a supervisor restarting its child, or a start on its way, is waited for); JSON
// typed at byte mode gets a hint at --jsonl; messages name the log of the socket's own home and
// never suggest --autostart where it is refused.
import assert from 'node:assert/strict'
import {setTimeout as sleep} from 'node:timers/promises'
import {describe, test} from 'node:test'
import {holdLockWithFlockCommand} from '../src/ground/harness/flock-holder.js'
import {killGroup, runCodexd, spawnCodexd, waitFor} from '../src/ground/harness/processes.js'
import {ensurePrivateDir} from '../src/ground/home/private-dir.js'
import {collect, exitOf, homesForFile, spawnProxy, startBuiltin} from './support/proxy-stdio.js'
import {fixtureCommand, FAST} from './support/supervisor-home.js'

const newHome = homesForFile('codexd-robust-proxy-')

/** The proxy's exit, or a failure once `ms` passed (a proxy that waits instead of failing). */
async function exitWithin(proxy: ReturnType<typeof spawnProxy>, ms: number) {
  const deadline = sleep(ms).then(() => {
    throw new Error(`the proxy (pid ${proxy.pid}) was still running after ${ms} ms`)
  })
  return Promise.race([exitOf(proxy), deadline])
}

/** Runs `codexd proxy ARGS` until it gives up (exit 10) and returns its last stderr line. */
async function giveUpLine(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const proxy = spawnProxy(args, env)
  const stderr = collect(proxy.stderr)
  assert.equal((await exitWithin(proxy, 20_000)).code, 10, stderr.text())
  return stderr.text().trim().split('\n').at(-1)!
}

describe('codexd proxy fails fast and says what to do', {timeout: 120_000}, () => {
  test('no supervisor, no --autostart: exit 10 at once, one line with the command that fixes it; no wait, nothing started', async () => {
    const home = newHome()
    const proxy = spawnProxy(['--wait-timeout', '60000'], home.env)
    const stderr = collect(proxy.stderr)
    const exit = await exitWithin(proxy, 20_000)
    assert.equal(exit.code, 10, stderr.text())
    const lines = stderr.text().trim().split('\n')
    assert.equal(lines.length, 1, `one line, no "waiting" progress: ${stderr.text()}`)
    assert.ok(lines[0]!.includes(home.paths.home), lines[0])
    assert.match(lines[0]!, /codexd start/)
    assert.match(lines[0]!, /--autostart/)
    assert.equal((await runCodexd(['status'], home.env)).code, 3, 'nothing was started')
  })

  test('--jsonl, no supervisor: the same one line at once', async () => {
    const home = newHome()
    const proxy = spawnProxy(['--jsonl', '--wait-timeout', '60000'], home.env)
    const stderr = collect(proxy.stderr)
    proxy.stdin!.write('{"id":1,"method":"initialize","params":{"clientInfo":{"name":"t","version":"1"}}}\n')
    const exit = await exitWithin(proxy, 20_000)
    assert.equal(exit.code, 10, stderr.text())
    assert.match(stderr.text(), /no codexd supervisor runs/)
  })

  test('a supervisor that answers while its child is not serving yet: the proxy waits (and gives up after --wait-timeout)', async () => {
    const home = newHome()
    Object.assign(home.env, FAST, {CODEXD_SERVER: fixtureCommand('never-bind'), CODEXD_READY_TIMEOUT_MS: '60000'})
    const supervisor = spawnCodexd(['run'], home.env)
    try {
      await waitFor(async () => (await runCodexd(['status', '--json'], home.env)).stdout.includes('"starting"'), {timeoutMs: 30_000, what: 'the supervisor to answer with its child starting'})
      const proxy = spawnProxy(['--wait-timeout', '1500'], home.env)
      const stderr = collect(proxy.stderr)
      const exit = await exitWithin(proxy, 20_000)
      assert.equal(exit.code, 10)
      assert.match(stderr.text(), /waiting for the app-server/, 'it waited for the restarting server')
      const last = stderr.text().trim().split('\n').at(-1)!
      assert.match(last, /within 1\.5 s/)
      assert.ok(last.includes(home.paths.supervisorLog), last)
    } finally {
      killGroup(supervisor.pid, 'SIGTERM')
      await exitOf(supervisor)
    }
  })

  test('a codexd start on its way (it holds the supervisor lock): the proxy waits for it', async () => {
    const home = newHome()
    ensurePrivateDir(home.paths.codexdDir)
    const holder = await holdLockWithFlockCommand(home.paths.supervisorLock)
    try {
      const proxy = spawnProxy(['--wait-timeout', '1500'], home.env)
      const stderr = collect(proxy.stderr)
      assert.equal((await exitWithin(proxy, 20_000)).code, 10)
      assert.match(stderr.text(), /waiting for the app-server/)
    } finally {
      killGroup(holder.pid)
    }
  })

  test("--sock naming another home's socket: the give-up line names that home's log and start command, never --autostart", async () => {
    const home = newHome()
    const other = newHome()
    const last = await giveUpLine(['--sock', other.paths.appServerSocket, '--wait-timeout', '500'], home.env)
    assert.ok(last.includes(other.paths.supervisorLog), last)
    assert.ok(last.includes(`CODEX_HOME='${other.home}' codexd start`), last)
    assert.ok(!last.includes(home.paths.supervisorLog), last)
    assert.ok(!last.includes('--autostart'), last)
  })

  test('--sock naming CODEX_HOME\'s own socket: waited for, and the give-up line never suggests --autostart', async () => {
    const home = newHome()
    const last = await giveUpLine(['--sock', home.paths.appServerSocket, '--wait-timeout', '500'], home.env)
    assert.ok(last.includes(home.paths.supervisorLog), last)
    assert.ok(!last.includes('--autostart'), last)
  })

  test('byte mode given JSON lines: a one-line hint at --jsonl on stderr (the bytes still go through unchanged)', async () => {
    const home = newHome()
    const server = await startBuiltin(home.env, home.paths.appServerSocket)
    const proxy = spawnProxy(['--sock', home.paths.appServerSocket], home.env)
    const stdout = collect(proxy.stdout)
    const stderr = collect(proxy.stderr)
    proxy.stdin!.write('{"id":1,"method":"initialize","params":{"clientInfo":{"name":"t","version":"1"}}}\n')
    await waitFor(() => stderr.text().includes('--jsonl'), {timeoutMs: 20_000, what: 'the --jsonl hint'})
    await waitFor(() => stdout.text().startsWith('HTTP/1.1 400'), {timeoutMs: 20_000, what: "the server's own answer, passed through"})
    proxy.stdin!.end()
    await exitWithin(proxy, 20_000)
    assert.equal(stderr.text().split('\n').filter((line) => line.includes('--jsonl')).length, 1, stderr.text())
    server.kill('SIGTERM')
    await exitOf(server)
  })
})
