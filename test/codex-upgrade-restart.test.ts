import assert from 'node:assert/strict'
import {readlinkSync} from 'node:fs'
import {setTimeout as sleep} from 'node:timers/promises'
import {after, describe, it} from 'node:test'
import {runCodexd, trackPid} from '../src/ground/harness/processes.js'
import {useFakeInstall} from './support/fake-prefix.js'
import {status, startAndTrack, supervisedHome, waitForStatus} from './support/supervisor-home.js'

const OLD = '0.169.0'
const NEW = '0.171.0'
/** A quiet time the test never reaches: only the spawn itself can have read the new install. */
const UPGRADE_ENV = {CODEXD_UPGRADE_SETTLE_MS: '60000', CODEXD_PROBE_INTERVAL_MS: '200'}
/** Several probe periods: long enough for a needless second restart to show. */
const STABLE_WINDOW_MS = 1500

/**
 * `codexd restart` right after an upgrade, before the watcher has read it (docs/codex-daemon.md,
 * "Upgrades"): the spawn sees the executable changed since its spec was read and reads the
 * version again, so the status shows the version the new child really runs, no upgrade is left
 * pending for it, and it is not restarted a second time.
 */
describe('codexd restart before the watcher read an upgrade (real codex 0.169.0 -> 0.171.0)', {timeout: 180_000}, () => {
  const home = supervisedHome('codex', UPGRADE_ENV)
  const install = useFakeInstall(home.env, [OLD, NEW])

  after(() => home.cleanup())

  it('the restarted child is shown running 0.171.0, nothing pending, and kept', {timeout: 150_000}, async (t) => {
    if (install.skip) return t.skip(install.skip)
    const started = await startAndTrack(home, ['--on-upgrade', 'restart-now'])
    const first = (await waitForStatus(home.env, (r) => r.child?.state === 'running', 'the 0.169.0 child running', 60_000)).child!.pid!
    install.prefix!.npmSwap(install.natives[NEW])
    const restarted = await runCodexd(['restart'], home.env)
    assert.equal(restarted.code, 0, restarted.stderr)
    const report = await waitForStatus(home.env, (r) => r.child?.state === 'running' && r.child.pid !== first, 'the restarted child running', 60_000)
    const pid = report.child!.pid!
    trackPid(pid)
    assert.equal(readlinkSync(`/proc/${pid}/exe`), install.natives[NEW], 'the new child runs the 0.171.0 binary')
    assert.equal(report.child?.version, NEW, 'the status shows the version the child runs')
    assert.equal(report.upgrade?.running, NEW)
    assert.equal(report.upgrade?.installed, NEW)
    assert.equal(report.upgrade?.pending, false, 'no upgrade pending for a child already on it')
    assert.equal(started.supervisor?.pid, report.supervisor?.pid)
    await sleep(STABLE_WINDOW_MS)
    const later = (await status(home.env)).report
    assert.equal(later.child?.pid, pid, 'not restarted a second time')
    assert.equal(later.upgrade?.pending, false)
  })
})
