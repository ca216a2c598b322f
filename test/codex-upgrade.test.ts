import assert from 'node:assert/strict'
import {readlinkSync} from 'node:fs'
import {setTimeout as sleep} from 'node:timers/promises'
import {after, describe, it} from 'node:test'
import {runCodexd, trackPid} from '../src/ground/harness/processes.js'
import type {StatusReport} from '../src/ground/protocol/status-report.js'
import {connectedClientCount} from '../src/ground/proc/unix-listeners.js'
import {useFakeInstall} from './support/fake-prefix.js'
import {loadValidator} from './support/schema-check.js'
import {isRunning, startAndTrack, status, supervisedHome, waitForStatus} from './support/supervisor-home.js'
import {RpcClient} from './support/ws-client.js'

const OLD = '0.169.0'
const NEW = '0.171.0'
/**
 * Quiet time and idle poll of the test's supervisors: short, so each step takes about a second.
 * Probes far apart: the chokidar watch alone must notice each swap (the probe's fingerprint check
 * is only the fallback), and no probe connection is ever counted as a client.
 */
const UPGRADE_ENV = {CODEXD_UPGRADE_SETTLE_MS: '300', CODEXD_UPGRADE_IDLE_POLL_MS: '100', CODEXD_PROBE_INTERVAL_MS: '600000'}
/** How long an upgrade that must not happen is given to happen anyway: many idle polls. */
const NOT_RESTARTED_WINDOW_MS = 1500

/** The file the kernel runs as `pid` (its /proc exe link). */
function exeOf(pid: number): string {
  return readlinkSync(`/proc/${pid}/exe`)
}

describe('codex upgrades under a running supervisor (real codex 0.169.0 -> 0.171.0)', {timeout: 240_000}, () => {
  const home = supervisedHome('codex', UPGRADE_ENV)
  const install = useFakeInstall(home.env, [OLD, NEW])
  const natives = install.natives
  let client: RpcClient | undefined

  after(async () => {
    client?.close()
    await home.cleanup()
  })

  /** The child now serving `version`: its pid, checked against /proc and the status report. */
  async function servingVersion(version: string, notPid?: number): Promise<{pid: number; report: StatusReport}> {
    const report = await waitForStatus(home.env, (r) => r.child?.state === 'running' && r.child.pid !== notPid && r.upgrade?.running === version && r.upgrade.installed === version, `the child to serve codex ${version}`, 60_000)
    const pid = report.child!.pid!
    assert.equal(exeOf(pid), natives[version], `pid ${pid} runs the ${version} binary`)
    assert.equal(report.child?.version, version)
    assert.equal(report.upgrade?.pending, false)
    return {pid, report}
  }

  it('starts on 0.169.0 and shows running and installed versions', {timeout: 90_000}, async (t) => {
    if (install.skip) return t.skip(install.skip)
    const report = await startAndTrack(home)
    assert.equal(report.upgrade?.policy, 'restart-when-idle')
    assert.equal(report.upgrade?.executable, install.prefix!.bin)
    await servingVersion(OLD)
  })

  it('no client connected: the swap restarts the child onto 0.171.0 at once', {timeout: 60_000}, async (t) => {
    if (install.skip) return t.skip(install.skip)
    const {pid: before} = await servingVersion(OLD)
    install.prefix!.npmSwap(natives[NEW]) // the package dir replaced, as npm i -g does
    const {pid} = await servingVersion(NEW, before)
    assert.notEqual(pid, before)
    assert.equal(isRunning(before), false, 'the 0.169.0 child is gone')
    // Back to 0.169.0 for the next step (no client either): a downgrade is a change too.
    install.prefix!.linkSwap(natives[OLD])
    await servingVersion(OLD, pid)
  })

  it('a client connected: the upgrade waits (status says so), and happens when the client leaves', {timeout: 60_000}, async (t) => {
    if (install.skip) return t.skip(install.skip)
    const {pid: before} = await servingVersion(OLD)
    client = await RpcClient.connect(home.paths.appServerSocket)
    await client.initialize()
    assert.equal(connectedClientCount(home.paths.appServerSocket), 1, 'the kernel lists our connection')
    install.prefix!.npmSwap(natives[NEW])
    const pending = await waitForStatus(home.env, (r) => r.upgrade?.installed === NEW && r.upgrade.pending && r.upgrade.clients === 1, 'the upgrade pending with 1 client')
    assert.equal(pending.upgrade?.running, OLD)
    loadValidator()('status.json', pending)
    await sleep(NOT_RESTARTED_WINDOW_MS)
    const held = (await status(home.env)).report
    assert.equal(held.child?.pid, before, 'the child serving the client was not restarted')
    assert.equal(exeOf(before), natives[OLD])
    const human = await runCodexd(['status'], home.env)
    assert.match(human.stdout, /running 0\.169\.0, installed 0\.171\.0 \(upgrade pending: 1 client connected/)
    client.close()
    client = undefined
    const {pid} = await servingVersion(NEW, before)
    assert.equal(isRunning(before), false)
    assert.notEqual(pid, before)
  })

  it('codexd restart applies a pending upgrade at once', {timeout: 60_000}, async (t) => {
    if (install.skip) return t.skip(install.skip)
    const {pid: before} = await servingVersion(NEW)
    client = await RpcClient.connect(home.paths.appServerSocket)
    await client.initialize()
    install.prefix!.linkSwap(natives[OLD])
    await waitForStatus(home.env, (r) => r.upgrade?.installed === OLD && r.upgrade.pending, 'the change pending')
    const restarted = await runCodexd(['restart', '--json'], home.env)
    assert.equal(restarted.code, 0, restarted.stderr)
    const report = (await status(home.env)).report
    assert.notEqual(report.child?.pid, before)
    assert.equal(report.upgrade?.running, OLD)
    assert.equal(report.upgrade?.pending, false)
    assert.equal(exeOf(report.child!.pid!), natives[OLD])
    client.close()
    client = undefined
  })

  it('--on-upgrade notify never restarts; it only shows the pending upgrade', {timeout: 60_000}, async (t) => {
    if (install.skip) return t.skip(install.skip)
    assert.equal((await runCodexd(['stop'], home.env)).code, 0)
    const started = await startAndTrack(home, ['--on-upgrade', 'notify'])
    assert.equal(started.upgrade?.policy, 'notify')
    const {pid: before} = await servingVersion(OLD)
    install.prefix!.npmSwap(natives[NEW])
    await waitForStatus(home.env, (r) => r.upgrade?.installed === NEW && r.upgrade.pending, 'the upgrade noticed')
    await sleep(NOT_RESTARTED_WINDOW_MS)
    const report = (await status(home.env)).report
    assert.equal(report.child?.pid, before)
    assert.equal(exeOf(before), natives[OLD])
    assert.equal(report.upgrade?.running, OLD)
    assert.equal(typeof report.upgrade?.clients, "number", "counted from /proc/net/unix")
  })

  it('--on-upgrade restart-now restarts even with a client connected', {timeout: 60_000}, async (t) => {
    if (install.skip) return t.skip(install.skip)
    assert.equal((await runCodexd(['stop'], home.env)).code, 0)
    await startAndTrack(home, ['--on-upgrade', 'restart-now'])
    const {pid: before} = await servingVersion(NEW)
    client = await RpcClient.connect(home.paths.appServerSocket)
    await client.initialize()
    install.prefix!.linkSwap(natives[OLD])
    const {pid} = await servingVersion(OLD, before)
    assert.notEqual(pid, before)
    trackPid(pid)
  })
})
