// Issue 10, point 3: with codexd supervising a home, the real codex 0.171.0 TUI attaches to
// codexd's app-server and starts no daemon of its own; during codexd's restart backoff codex's
// auto-start can win (measured here), and `codexd codex-config daemon-auto-start off` closes that race.
import assert from 'node:assert/strict'
import {existsSync, readFileSync, realpathSync} from 'node:fs'
import {join} from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'
import {describe, it} from 'node:test'
import {runCodexd, trackPid, waitFor} from '../src/ground/harness/processes.js'
import {isAlive} from '../src/ground/proc/processes.js'
import {homePidsMatching, MANAGED_DAEMON, realCodexHomeForFile, UPDATER} from './support/codex-daemon-home.js'
import {status, waitForStatus} from './support/supervisor-home.js'
import {startTui, type TmuxTui} from './support/tmux-tui.js'

const VERSION = '0.171.0'
/** A restart backoff long enough for a TUI to start (and codex's daemon to install) inside it. */
const BACKOFF_MS = 30_000
/** How long the TUI gets to attach or to auto-start a daemon (it did within ~5 s when measured). */
const TUI_SETTLE_MS = 12_000

/** Connected (accepted) sockets at `path` in the kernel's table: clients attached to the listener. */
function connectedClients(path: string): number {
  let bound = path
  try {
    bound = realpathSync(path)
  } catch {
    return 0
  }
  return readFileSync('/proc/net/unix', 'utf8').split('\n').slice(1).filter((line) => {
    const fields = line.trim().split(/\s+/)
    return fields.length >= 8 && fields[5] === '03' && fields.slice(7).join(' ') === bound
  }).length
}

describe(`the codex ${VERSION} TUI in a home codexd supervises`, {timeout: 400_000}, () => {
  const tuis: TmuxTui[] = []
  // Every child exit counts as unstable, so a kill is followed by the long backoff.
  const slowBackoff = {CODEXD_BACKOFF_MIN_MS: String(BACKOFF_MS), CODEXD_BACKOFF_MAX_MS: String(BACKOFF_MS), CODEXD_STABLE_MS: '3600000'}
  const file = realCodexHomeForFile(VERSION, 'codexd-cdtui-', slowBackoff, async () => {
    for (const tui of tuis) await tui.close()
  })
  const {home, socketListeners} = file

  async function tui(): Promise<TmuxTui> {
    const started = await startTui(file.codex(), home.env)
    tuis.push(started)
    return started
  }

  /** Kills codexd's child; resolves once the supervisor is in its backoff. */
  async function killChildIntoBackoff(): Promise<void> {
    const {report} = await status(home.env)
    process.kill(report.child!.pid!, 'SIGKILL')
    await waitForStatus(home.env, (r) => r.child?.state === 'backoff', 'the supervisor to enter its backoff')
  }

  it('attaches to codexd\'s app-server: no second app-server, no updater, no daemon install', async (t) => {
    if (file.skip()) return t.skip(file.skip())
    const started = await runCodexd(['start', '--json'], home.env)
    assert.equal(started.code, 0, started.stderr)
    trackPid(JSON.parse(started.stdout).supervisorPid)
    const child = (await status(home.env)).report.child!.pid!
    assert.equal(connectedClients(home.paths.appServerSocket), 0)

    const session = await tui()
    await waitFor(() => connectedClients(home.paths.appServerSocket) >= 1, {timeoutMs: 30_000, what: 'the TUI to connect to codexd\'s app-server'})
    await sleep(TUI_SETTLE_MS) // time in which an auto-start would have happened
    assert.ok(isAlive(session.tuiPid), `the TUI still runs: ${await session.screen()}`)
    assert.deepEqual(socketListeners(), [child], 'one listener: codexd\'s child')
    assert.deepEqual(homePidsMatching(home.home, MANAGED_DAEMON), [], 'no managed daemon')
    assert.deepEqual(homePidsMatching(home.home, UPDATER), [], 'no updater')
    assert.equal(existsSync(join(home.home, 'packages', 'app-server-daemon')), false, 'codex installed no daemon release')
    assert.ok(connectedClients(home.paths.appServerSocket) >= 1, 'the TUI stays attached')
    assert.equal((await status(home.env)).code, 0)
    await session.close()
  })

  it("during codexd's restart backoff, codex's auto-start wins the socket; start --takeover wins it back", async (t) => {
    if (file.skip()) return t.skip(file.skip())
    await killChildIntoBackoff()
    const session = await tui()
    // The finding: with auto-start on, a TUI started while codexd waits out its backoff starts
    // codex's managed daemon (and its updater) on the free socket.
    const [daemon] = await waitFor(() => {
      const found = homePidsMatching(home.home, MANAGED_DAEMON)
      return found.length > 0 && socketListeners().length > 0 ? found : undefined
    }, {timeoutMs: BACKOFF_MS - 5000, what: 'codex\'s auto-started daemon (the race)'})
    trackPid(daemon)
    // When the backoff ends, codexd's child finds the socket taken: codexd stops competing and names the owner.
    const unmanaged = await waitForStatus(home.env, (r) => r.child?.state === 'unmanaged', 'codexd to find codex\'s daemon on the socket', BACKOFF_MS + 30_000)
    assert.equal((unmanaged as any).listenerOwner.kind, 'codex-daemon')
    assert.equal((unmanaged as any).listenerOwner.pid, daemon)
    assert.deepEqual(socketListeners(), [daemon], 'never two listeners')
    await session.close()

    const taken = await runCodexd(['start', '--takeover', '--json'], home.env)
    assert.equal(taken.code, 0, taken.stderr)
    assert.equal(JSON.parse(taken.stdout).tookOverFrom.pid, daemon)
    assert.deepEqual(homePidsMatching(home.home, MANAGED_DAEMON), [])
    assert.deepEqual(homePidsMatching(home.home, UPDATER), [])
    assert.equal((await status(home.env)).code, 0)
  })

  it('with codexd codex-config daemon-auto-start off, a TUI during the backoff starts no daemon and codexd serves again', async (t) => {
    if (file.skip()) return t.skip(file.skip())
    const off = await runCodexd(['codex-config', 'daemon-auto-start', 'off'], home.env)
    assert.equal(off.code, 0, off.stderr)
    await killChildIntoBackoff()
    const session = await tui()
    await sleep(TUI_SETTLE_MS)
    assert.deepEqual(homePidsMatching(home.home, MANAGED_DAEMON), [], 'no managed daemon with auto-start off')
    assert.deepEqual(homePidsMatching(home.home, UPDATER), [])
    assert.deepEqual(socketListeners(), [], 'the socket stays free for codexd')
    const back = await waitForStatus(home.env, (r) => r.state === 'running', 'codexd\'s child back after the backoff', BACKOFF_MS + 30_000)
    assert.deepEqual(socketListeners(), [back.child!.pid])
    await session.close()
    const on = await runCodexd(['codex-config', 'daemon-auto-start', 'on'], home.env)
    assert.equal(on.code, 0, on.stderr)
  })
})
