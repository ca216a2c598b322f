import assert from 'node:assert/strict'
import {after, describe, it} from 'node:test'
import {runCodexd} from '../src/ground/harness/processes.js'
import {useFakeInstall} from './support/fake-prefix.js'
import {startAndTrack, status, supervisedHome} from './support/supervisor-home.js'

/**
 * `codexd start --on-upgrade X` on a home whose supervisor already runs (docs/codex-daemon.md,
 * "Upgrades"): the running policy is kept, exit 0, and a one-line warning says so when X differs.
 */
describe('start --on-upgrade with a supervisor already running (real codex 0.169.0)', {timeout: 120_000}, () => {
  const home = supervisedHome('codex', {CODEXD_PROBE_INTERVAL_MS: '600000'})
  const install = useFakeInstall(home.env, ['0.169.0'])

  after(() => home.cleanup())

  it('another policy: warned in one line, exit 0, the running policy kept; the same policy or no flag: silent', {timeout: 100_000}, async (t) => {
    if (install.skip) return t.skip(install.skip)
    const started = await startAndTrack(home, ['--on-upgrade', 'notify'])
    assert.equal(started.upgrade?.policy, 'notify')
    const other = await runCodexd(['start', '--on-upgrade', 'restart-now'], home.env)
    assert.equal(other.code, 0, other.stderr)
    const warnings = other.stderr.split('\n').filter((line) => line.includes('warning'))
    assert.equal(warnings.length, 1, other.stderr)
    assert.match(warnings[0], /already runs --on-upgrade notify, not restart-now/)
    assert.match(warnings[0], /codexd start --on-upgrade restart-now/)
    const after = (await status(home.env)).report
    assert.equal(after.upgrade?.policy, 'notify', 'the running policy is kept')
    assert.equal(after.supervisor?.pid, started.supervisor?.pid)
    for (const args of [['start', '--on-upgrade', 'notify'], ['start']]) {
      const same = await runCodexd(args, home.env)
      assert.equal(same.code, 0, same.stderr)
      assert.doesNotMatch(same.stderr, /warning/, `codexd ${args.join(' ')}`)
    }
  })
})
