import assert from 'node:assert/strict'
import {chmodSync, closeSync, existsSync, openSync, readSync, mkdtempSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'
import {after, describe, it} from 'node:test'
import {runCodexd, trackPid, waitFor} from '../src/ground/harness/processes.js'
import type {StatusReport} from '../src/ground/protocol/status-report.js'
import {useFakeInstall} from './support/fake-prefix.js'
import {loadValidator} from './support/schema-check.js'
import {isRunning, startAndTrack, status, supervisedHome, waitForStatus} from './support/supervisor-home.js'
import {RpcClient} from './support/ws-client.js'

const OLD = '0.169.0'
const NEW = '0.171.0'
const UPGRADE_ENV = {CODEXD_UPGRADE_SETTLE_MS: '300', CODEXD_UPGRADE_IDLE_POLL_MS: '100', CODEXD_PROBE_INTERVAL_MS: '600000'}
/** How long a restart that must not happen is given to happen anyway: many idle polls. */
const NOT_RESTARTED_WINDOW_MS = 1500

/**
 * Broken installs under a running supervisor (docs/codex-daemon.md, "Upgrades"): whatever is put
 * where codex was, the child keeps running the version it runs, the status says what is wrong in
 * one line, and nothing is restarted onto an executable that did not answer `--version`.
 */
describe('codex upgrades onto broken installs (real codex 0.169.0, 0.171.0)', {timeout: 240_000}, () => {
  const home = supervisedHome('codex', UPGRADE_ENV)
  const scratch = mkdtempSync(join(tmpdir(), 'codexd-broken-'))
  const install = useFakeInstall(home.env, [OLD, NEW])
  const natives = install.natives
  let client: RpcClient | undefined
  let childPid = 0

  after(async () => {
    client?.close()
    await home.cleanup()
    rmSync(scratch, {recursive: true, force: true})
  })

  /** A file in the scratch dir with `text` and `mode`. */
  function broken(name: string, text: string | Buffer, mode = 0o755): string {
    const file = join(scratch, name)
    writeFileSync(file, text)
    chmodSync(file, mode)
    return file
  }

  /** Waits for the status to report a problem matching `pattern`; checks it is one line and that the child was kept. */
  async function problemShown(pattern: RegExp): Promise<StatusReport> {
    const report = await waitForStatus(home.env, (r) => pattern.test(r.upgrade?.problem ?? ''), `a problem matching ${pattern}`, 40_000)
    assert.doesNotMatch(report.upgrade!.problem!, /\n/, 'the problem is one line')
    assert.equal(report.upgrade?.pending, false, 'nothing to move onto')
    assert.equal(report.child?.pid, childPid, 'the child was kept')
    assert.equal(readlinkSync(`/proc/${childPid}/exe`), natives[OLD])
    loadValidator()('status.json', report)
    const human = await runCodexd(['status'], home.env)
    assert.match(human.stdout, /the installed codex cannot be run, the child keeps its version/)
    return report
  }

  it('starts on 0.169.0 with a client connected', {timeout: 90_000}, async (t) => {
    if (install.skip) return t.skip(install.skip)
    const report = await startAndTrack(home)
    childPid = report.child!.pid!
    assert.equal(report.upgrade?.problem, null)
    client = await RpcClient.connect(home.paths.appServerSocket)
    await client.initialize()
  })

  it('a --version that hangs (its child holding stdout): timed out, its whole group killed, the child kept', {timeout: 60_000}, async (t) => {
    if (install.skip) return t.skip(install.skip)
    const pidFile = join(scratch, 'sleeper.pid')
    install.prefix!.linkSwap(broken('hangs', `#!/bin/sh\nsleep 600 &\necho $! > ${pidFile}\nwait\n`))
    const sleeper = await waitFor(() => (existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8')) || undefined : undefined), {timeoutMs: 20_000, what: 'the hung script to start'})
    trackPid(sleeper)
    await problemShown(/did not answer within/)
    await waitFor(() => !isRunning(sleeper), {timeoutMs: 10_000, what: `the hung --version's child ${sleeper} to be killed`})
  })

  it('a pending upgrade whose install breaks before the client leaves: no restart onto it', {timeout: 60_000}, async (t) => {
    if (install.skip) return t.skip(install.skip)
    install.prefix!.npmSwap(natives[NEW])
    await waitForStatus(home.env, (r) => r.upgrade?.installed === NEW && r.upgrade.pending && r.upgrade.problem === null, 'the upgrade pending')
    // Broken before the quiet time ends, and the client gone at once: the idle poll must not restart onto it.
    install.prefix!.linkSwap(broken('not-executable', '#!/bin/sh\necho codex-cli 9.9.9\n', 0o644))
    client!.close()
    client = undefined
    await problemShown(/EACCES|permission denied/i)
    await sleep(NOT_RESTARTED_WINDOW_MS)
    assert.equal((await status(home.env)).report.child?.pid, childPid, 'still the 0.169.0 child')
  })

  it('garbage on --version, a truncated binary, the executable deleted, a symlink loop: one-line problems, the child kept', {timeout: 60_000}, async (t) => {
    if (install.skip) return t.skip(install.skip)
    install.prefix!.linkSwap(broken('garbage', `#!/bin/sh\nprintf 'no version here\\nsecond line\\n'\nhead -c 5000 /dev/zero | tr '\\0' x\n`))
    await problemShown(/printed 'no version here'/)
    const head = Buffer.alloc(4096)
    const fd = openSync(natives[NEW], 'r')
    readSync(fd, head, 0, head.length, 0)
    closeSync(fd)
    install.prefix!.linkSwap(broken('truncated', head))
    await problemShown(/ENOEXEC|exec format|failed/i)
    // Deleted for good: the link into the package gone.
    rmSync(join(install.prefix!.root, 'lib', 'codex', 'bin', 'codex'))
    await problemShown(/is missing/)
    // A symlink loop where the link was.
    const link = join(install.prefix!.root, 'lib', 'codex', 'bin', 'codex')
    symlinkSync(`${link}.loop`, link)
    symlinkSync(link, `${link}.loop`)
    await problemShown(/is a symlink loop/)
    rmSync(`${link}.loop`)
  })

  it('a working install again: the problem clears and the child moves onto it', {timeout: 60_000}, async (t) => {
    if (install.skip) return t.skip(install.skip)
    install.prefix!.linkSwap(natives[NEW])
    const report = await waitForStatus(home.env, (r) => r.child?.state === 'running' && r.child.pid !== childPid && r.upgrade?.running === NEW, 'the child on 0.171.0', 60_000)
    assert.equal(report.upgrade?.problem, null)
    assert.equal(isRunning(childPid), false)
    trackPid(report.child!.pid!)
  })
})
