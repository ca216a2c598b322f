import assert from 'node:assert/strict'
import {after, describe, test} from 'node:test'
import {lockHolderPids} from './support/lock-holders.js'
import {runCodexd, spawnCodexd, waitFor} from '../src/ground/harness/processes.js'
import {fixtureCommand, homeProcesses, isRunning, supervisedHome, waitForStatus} from './support/supervisor-home.js'

/** The bad children of issue 6 not covered elsewhere (docs/reliability.md maps the rest to their tests). */
describe('a lock-unaware child that never binds', () => {
  const home = supervisedHome(fixtureCommand('never-bind'), {CODEXD_READY_TIMEOUT_MS: '1500', CODEXD_CRASH_LOOP_COUNT: '2'})
  after(() => home.cleanup())

  test('the supervisor holds the startup lock only while it waits: after the ready timeout the child is killed and the lock released', async () => {
    const run = spawnCodexd(['run'], home.env)
    const starting = await waitForStatus(home.env, (report) => report.child?.state === 'starting' && report.child.pid !== null, 'the child to be spawned')
    const supervisor = starting.supervisor!.pid
    await waitFor(() => lockHolderPids(home.paths.startupLock).includes(supervisor), {what: 'the supervisor to hold the startup lock for its lock-unaware child'})
    const failed = await waitForStatus(home.env, (report) => report.child?.state === 'crash-loop', 'the ready timeout to fail the child twice')
    assert.match(failed.lastExit?.reason ?? '', /did not answer initialize within 1500 ms/)
    assert.equal(isRunning(starting.child!.pid!), false, 'the child was killed')
    assert.deepEqual(lockHolderPids(home.paths.startupLock), [], 'nobody holds the startup lock any more')
    assert.deepEqual(homeProcesses(home.home).map((process) => process.pid), [run.pid], 'only the supervisor is left')
    assert.equal((await runCodexd(['stop'], home.env)).code, 0)
  })
})
