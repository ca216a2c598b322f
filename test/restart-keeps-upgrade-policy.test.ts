// `codexd restart --server S` starts the new supervisor with the --on-upgrade policy of the one it
// stopped (read from its status before the stop), not the restart command's environment. The
// policy is reported with a codex child, hence real codex.
import assert from 'node:assert/strict'
import {after, before, describe, it} from 'node:test'
import {runCodexd} from '../src/ground/harness/processes.js'
import {installRealCodex} from '../src/ground/harness/real-codex.js'
import {isRunning, startAndTrack, status, supervisedHome} from './support/supervisor-home.js'

describe('restart --server keeps the --on-upgrade policy (real codex 0.169.0)', {timeout: 180_000}, () => {
  const home = supervisedHome('codex')
  let skip: string | undefined
  before(async () => {
    const codex = await installRealCodex('0.169.0')
    if ('skip' in codex) skip = `npm registry unreachable, codex 0.169.0 not installed: ${codex.skip}`
    else home.env.CODEXD_CODEX_BIN = codex.bin
  })
  after(() => home.cleanup())

  it('start --on-upgrade notify, then restart --server codex: the new supervisor still has notify', async (t) => {
    if (skip) return t.skip(skip)
    const started = await startAndTrack(home, ['--on-upgrade', 'notify'])
    assert.equal(started.upgrade?.policy, 'notify')
    const restarted = await runCodexd(['restart', '--server', 'codex', '--json'], home.env, {timeoutMs: 120_000})
    assert.equal(restarted.code, 0, restarted.stderr)
    const {supervisorPid} = JSON.parse(restarted.stdout) as {supervisorPid: number}
    assert.notEqual(supervisorPid, started.supervisor?.pid, 'a new supervisor')
    assert.equal(isRunning(started.supervisor!.pid), false)
    const {code, report} = await status(home.env)
    assert.equal(code, 0)
    assert.equal(report.supervisor?.pid, supervisorPid)
    assert.equal(report.upgrade?.policy, 'notify', 'the policy the stopped supervisor ran with')
  })
})
