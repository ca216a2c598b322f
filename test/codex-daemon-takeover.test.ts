// Issue 10, points 1 and 2: codexd recognizes who serves a home's app-server socket (codex's
// managed daemon, a codex app-server started by hand, a codexd orphan) and takes the home over
// on request, against the real codex 0.171.0. One home for the whole file: codex's managed
// daemon copies ~420 MB into it on its first start.
import assert from 'node:assert/strict'
import {execFile} from 'node:child_process'
import {closeSync, existsSync, openSync} from 'node:fs'
import {setTimeout as sleep} from 'node:timers/promises'
import {join} from 'node:path'
import {describe, it} from 'node:test'
import {finished, runCodexd, spawnCodexd, spawnTracked, trackPid, waitFor} from '../src/ground/harness/processes.js'
import {acquireLock, lockHolders} from '../src/ground/lock/flock.js'
import {codexDaemonLock} from '../src/ground/owner/codex-daemon-records.js'
import {connectPathFor} from '../src/ground/home/socket-path.js'
import {isAlive} from '../src/ground/proc/processes.js'
import {listenerCount} from '../src/ground/proc/unix-listeners.js'
import {homePidsMatching, MANAGED_DAEMON, realCodexHomeForFile, UPDATER} from './support/codex-daemon-home.js'
import {collect, JsonlClient, spawnProxy} from './support/proxy-stdio.js'
import {status} from './support/supervisor-home.js'

const VERSION = '0.171.0'

describe(`codexd and codex ${VERSION}'s managed daemon: recognize, take over`, {timeout: 300_000}, () => {
  const file = realCodexHomeForFile(VERSION, 'codexd-cdt-')
  const {home, socketListeners} = file

  /** `codex app-server daemon start` in the home (the way a user or the TUI starts it); its pid. */
  async function startCodexDaemon(): Promise<number> {
    const out = await new Promise<string>((resolve, reject) =>
      execFile(file.codex(), ['app-server', 'daemon', 'start'], {env: home.env, timeout: 120_000}, (error, stdout, stderr) => (error ? reject(new Error(`${error.message}: ${stderr}`)) : resolve(stdout))),
    )
    const answer = JSON.parse(out.trim().split('\n').at(-1)!) as {status: string; pid?: number}
    const pid = answer.pid ?? socketListeners()[0]
    trackPid(pid)
    for (const updater of homePidsMatching(home.home, UPDATER)) trackPid(updater)
    return pid
  }

  it("names codex's managed daemon (pid, version, updater); status and start exit 6 and say to run --takeover", async (t) => {
    if (file.skip()) return t.skip(file.skip())
    const daemon = await startCodexDaemon()
    const [updater] = homePidsMatching(home.home, UPDATER)
    assert.ok(updater, 'codex started its updater')

    const before = await status(home.env)
    assert.equal(before.code, 6, 'a server serves the home, but not codexd')
    const owner = (before.report as any).listenerOwner
    assert.equal(owner.kind, 'codex-daemon')
    assert.equal(owner.pid, daemon)
    assert.equal(owner.version, VERSION)
    assert.equal(owner.updaterPid, updater)
    assert.equal(owner.pidFileMatches, true)
    assert.equal(owner.thisHome, true)
    assert.match(owner.advice, /codexd start --takeover/)
    const human = await runCodexd(['status'], home.env)
    assert.equal(human.code, 6)
    assert.match(human.stdout, new RegExp(`served by +codex's managed daemon ${VERSION.replaceAll('.', '\\.')} \\(pid ${daemon}, updater pid ${updater}`))

    const refused = await runCodexd(['start'], home.env)
    assert.equal(refused.code, 6, refused.stderr)
    assert.equal(refused.stderr.trim().split('\n').length, 1, `one line: ${refused.stderr}`)
    assert.match(refused.stderr, new RegExp(`codex's managed daemon ${VERSION.replaceAll('.', '\\.')} \\(pid ${daemon}.*run codexd start --takeover`))
    assert.deepEqual(socketListeners(), [daemon], 'plain start left codex serving: nothing was killed')
    assert.ok(isAlive(updater))
    // The supervisor that start left waiting (state unmanaged) names the same owner.
    const waiting = await status(home.env)
    assert.equal(waiting.code, 6)
    assert.equal((waiting.report as any).listenerOwner.pid, daemon)
    if (waiting.report.supervisor) trackPid(waiting.report.supervisor.pid)
  })

  it('start --takeover: stops the daemon with codex app-server daemon stop, ends its updater, serves the home; a --jsonl proxy reconnects; never two listeners', async (t) => {
    if (file.skip()) return t.skip(file.skip())
    const [daemon] = socketListeners()
    const [updater] = homePidsMatching(home.home, UPDATER)
    assert.ok(daemon && updater)
    const proxy = spawnProxy(['--jsonl'], home.env)
    const proxyErr = collect(proxy.stderr)
    const client = new JsonlClient(proxy)
    const init = await client.initialize(1, 'takeover-client')
    assert.equal(init.result.codexHome, home.home)

    let most = 0
    let sampling = true
    const daemonLock = openSync(codexDaemonLock(home.home), 'r')
    const daemonLockHolders = new Set<number>()
    const sampler = (async () => {
      while (sampling) {
        most = Math.max(most, listenerCount(connectPathFor(home.paths.appServerSocket)))
        for (const pid of lockHolders(daemonLock)) daemonLockHolders.add(pid)
        await new Promise((resolve) => setImmediate(resolve))
      }
    })()
    const taker = spawnCodexd(['start', '--takeover', '--json'], home.env)
    const taken = await finished(taker)
    sampling = false
    await sampler
    assert.equal(taken.code, 0, taken.stderr)
    const result = JSON.parse(taken.stdout)
    trackPid(result.supervisorPid)
    assert.equal(result.tookOverFrom.kind, 'codex-daemon')
    assert.deepEqual(result.ended.map((ended: any) => [ended.pid, ended.endedBy]), [[daemon, 'codex app-server daemon stop'], [updater, 'sigterm']])
    closeSync(daemonLock)
    assert.ok(most <= 1, `at most one listener at any moment (saw ${most})`)
    // codexd start --takeover held codex's lifecycle lock (its supervisor never: the descriptor is close-on-exec).
    assert.ok(daemonLockHolders.has(taker.pid!), `codexd held app-server-daemon/daemon.lock (holders seen: ${[...daemonLockHolders].join(', ')})`)
    assert.ok(!daemonLockHolders.has(result.supervisorPid))
    assert.deepEqual(lockHolders(openSync(codexDaemonLock(home.home), 'r')), [], 'released afterwards')

    assert.equal(isAlive(daemon), false)
    assert.equal(isAlive(updater), false)
    assert.deepEqual(homePidsMatching(home.home, MANAGED_DAEMON), [])
    assert.deepEqual(homePidsMatching(home.home, UPDATER), [])
    const after = await status(home.env)
    assert.equal(after.code, 0)
    assert.equal(after.report.child?.kind, 'codex')
    assert.deepEqual(socketListeners(), [after.report.child!.pid])
    assert.equal(existsSync(join(home.home, 'app-server-daemon', 'daemon.pid')), false, 'codex removed its pid file itself')

    // The proxy saw the server go and came back to codexd's: a new request is answered, no hang.
    await waitFor(() => proxyErr.text().includes('reconnecting'), {timeoutMs: 30_000, what: 'the proxy to notice the takeover'})
    client.send({id: 2, method: 'codexd-takeover/unknown-method'})
    const answer = await client.answer(2, 30_000)
    assert.ok(answer.error, `codexd's codex answered (an error for an unknown method): ${JSON.stringify(answer)}`)
    assert.notEqual(answer.error.code, -32099, 'sent after the takeover: not lost in flight')
    proxy.stdin!.end()
  })

  it("codex's daemon start waits for app-server-daemon/daemon.lock (what codexd holds until it serves), then finds codexd serving", async (t) => {
    if (file.skip()) return t.skip(file.skip())
    const served = (await status(home.env)).report.child!.pid!
    const lock = await acquireLock(codexDaemonLock(home.home), {timeoutMs: 5000})
    let answer: string | undefined
    const starting = spawnTracked(file.codex(), ['app-server', 'daemon', 'start'], {env: home.env})
    const done = finished(starting).then((result) => (answer = result.stdout))
    try {
      await sleep(3000)
      assert.equal(answer, undefined, 'codex waits while the lock is held')
      assert.deepEqual(homePidsMatching(home.home, MANAGED_DAEMON), [])
    } finally {
      lock.release()
    }
    await done
    assert.equal(JSON.parse(answer!.trim().split('\n').at(-1)!).status, 'alreadyRunning')
    assert.deepEqual(socketListeners(), [served], 'codexd still the one listener')
    // codex (re)starts its updater even when it finds another server: end it like the takeover does.
    for (const pid of homePidsMatching(home.home, UPDATER)) process.kill(pid, 'SIGTERM')
    await waitFor(() => homePidsMatching(home.home, UPDATER).length === 0, {what: 'the updater to exit'})
  })

  it('restart --takeover does the same from a running codexd; plain restart refuses with the owner named', async (t) => {
    if (file.skip()) return t.skip(file.skip())
    const stopped = await runCodexd(['stop'], home.env)
    assert.equal(stopped.code, 0, stopped.stderr)
    const daemon = await startCodexDaemon()
    // A supervisor waiting in `unmanaged` (what a plain start leaves behind).
    assert.equal((await runCodexd(['start'], home.env)).code, 6)
    const plain = await runCodexd(['restart'], home.env)
    assert.equal(plain.code, 6, plain.stderr)
    assert.match(plain.stderr, new RegExp(`pid ${daemon}.*--takeover`))
    assert.deepEqual(socketListeners(), [daemon])

    const taken = await runCodexd(['restart', '--takeover', '--json'], home.env)
    assert.equal(taken.code, 0, taken.stderr)
    assert.equal(JSON.parse(taken.stdout).tookOverFrom.pid, daemon)
    const after = await status(home.env)
    assert.equal(after.code, 0)
    assert.deepEqual(socketListeners(), [after.report.child!.pid])
    assert.deepEqual(homePidsMatching(home.home, UPDATER), [], 'the updater codex restarted with its daemon is gone too')
  })

  it('a codexd child orphaned by a killed supervisor is named, and start --takeover ends it', async (t) => {
    if (file.skip()) return t.skip(file.skip())
    const {report} = await status(home.env)
    const child = report.child!.pid!
    process.kill(report.supervisor!.pid, 'SIGKILL')
    await waitFor(() => !isAlive(report.supervisor!.pid), {what: 'the supervisor to die'})
    const orphaned = await status(home.env)
    assert.equal(orphaned.code, 6)
    const owner = (orphaned.report as any).listenerOwner
    assert.equal(owner.kind, 'codexd-orphan')
    assert.equal(owner.pid, child)
    assert.equal(owner.version, VERSION)
    const taken = await runCodexd(['start', '--takeover', '--json'], home.env)
    assert.equal(taken.code, 0, taken.stderr)
    const result = JSON.parse(taken.stdout)
    trackPid(result.supervisorPid)
    assert.equal(result.tookOverFrom.kind, 'codexd-orphan')
    assert.equal(isAlive(child), false)
    const after = await status(home.env)
    assert.equal(after.code, 0)
    assert.notEqual(after.report.child!.pid, child)
  })

  it('a codex app-server started by hand: --takeover refuses without --force and kills nothing; --force ends it', async (t) => {
    if (file.skip()) return t.skip(file.skip())
    assert.equal((await runCodexd(['stop'], home.env)).code, 0)
    const byHand = spawnTracked(file.codex(), ['app-server', '--listen', 'unix://'], {env: home.env})
    await waitFor(() => socketListeners().includes(byHand.pid!), {timeoutMs: 30_000, what: 'the hand-started server to listen'})
    const named = await status(home.env)
    assert.equal(named.code, 6)
    assert.equal((named.report as any).listenerOwner.kind, 'codex-by-hand')
    assert.equal((named.report as any).listenerOwner.version, VERSION)

    const forceAlone = await runCodexd(['start', '--force'], home.env)
    assert.equal(forceAlone.code, 2, `--force without --takeover is a usage error: ${forceAlone.stderr}`)
    const refused = await runCodexd(['start', '--takeover'], home.env)
    assert.equal(refused.code, 6, refused.stderr)
    assert.match(refused.stderr, new RegExp(`codex app-server ${VERSION.replaceAll('.', '\\.')} started by hand \\(pid ${byHand.pid}\\).*--force`))
    assert.ok(isAlive(byHand.pid!), 'nothing killed without --force')
    assert.deepEqual(socketListeners(), [byHand.pid])

    const forced = await runCodexd(['start', '--takeover', '--force', '--json'], home.env)
    assert.equal(forced.code, 0, forced.stderr)
    trackPid(JSON.parse(forced.stdout).supervisorPid)
    assert.equal(isAlive(byHand.pid!), false)
    const after = await status(home.env)
    assert.equal(after.code, 0)
    assert.deepEqual(socketListeners(), [after.report.child!.pid])
  })
})
