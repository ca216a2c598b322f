// `codexd status` asking a supervisor that exits while answering: it says so neutrally unless the
// supervisor recorded that a stop request ended it (a crash or a kill is no stop it was asked for).
import assert from 'node:assert/strict'
import {fileURLToPath} from 'node:url'
import {after, describe, it} from 'node:test'
import {spawnTracked, waitFor} from '../src/ground/harness/processes.js'
import {lockHolderAt} from '../src/ground/lock/holders.js'
import {status, supervisedHome} from './support/supervisor-home.js'

describe('codexd status when the supervisor exits while answering', {timeout: 60_000}, () => {
  const home = supervisedHome('builtin')
  after(() => home.cleanup())

  it('a supervisor that crashed (no stop reason recorded): not running, "exited while answering", not "stopped as it was asked"', async () => {
    const fixture = fileURLToPath(new URL('fixtures/children/crash-on-request.mjs', import.meta.url))
    const fake = spawnTracked(process.execPath, [fixture], {env: home.env, cwd: fileURLToPath(new URL('..', import.meta.url))})
    await waitFor(() => lockHolderAt(home.paths.supervisorInstanceLock) === fake.pid, {timeoutMs: 20_000, what: 'the fake supervisor to hold its instance lock'})
    await waitFor(async () => (await import('../src/ground/startup/socket-probe.js')).probeSocket(home.paths.supervisorSocket, 500).then((probe) => probe.kind === 'live'), {timeoutMs: 20_000, what: 'the fake supervisor to listen'})
    const {code, report} = await status(home.env)
    assert.equal(lockHolderAt(home.paths.supervisorInstanceLock), null, 'it exited')
    assert.equal(code, 3, JSON.stringify(report))
    assert.equal(report.state, 'not-running')
    assert.equal(report.message, 'the codexd supervisor exited while answering: run codexd start')
  })
})
