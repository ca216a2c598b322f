// `codexd restart --server S` while another codexd command holds codexd's supervisor lock: it says
// on a terminal that it waits for that command (as start does), then takes its turn.
import assert from 'node:assert/strict'
import {fileURLToPath} from 'node:url'
import {after, describe, it} from 'node:test'
import {CODEXD_BIN, finished, spawnTracked, waitFor} from '../src/ground/harness/processes.js'
import {lockHolderAt} from '../src/ground/lock/holders.js'
import {NO_TERMINAL} from './support/interactive-shell.js'
import {collect} from './support/proxy-stdio.js'
import {status, startAndTrack, supervisedHome} from './support/supervisor-home.js'

const REPO = fileURLToPath(new URL('..', import.meta.url))

describe('restart --server waiting for its turn', {skip: NO_TERMINAL, timeout: 120_000}, () => {
  const home = supervisedHome('builtin')
  after(() => home.cleanup())

  it('prints "waiting for another codexd command (lock PATH)" on a terminal, then restarts once the holder lets go', async () => {
    const before = (await startAndTrack(home)).supervisor!.pid
    // Another command's turn: a process holding supervisor.lock until this test ends it.
    const holder = spawnTracked(process.execPath, ['-e', `require('fs-ext').flockSync(require('fs').openSync(${JSON.stringify(home.paths.supervisorLock)}, 'a'), 'exnb'); console.log('held'); setInterval(() => {}, 1000)`], {cwd: REPO})
    await waitFor(() => lockHolderAt(home.paths.supervisorLock) === holder.pid, {timeoutMs: 20_000, what: 'the holder to take supervisor.lock'})
    // Under a pseudo-terminal (util-linux script): progress lines are for a human at a terminal.
    const restart = spawnTracked('script', ['-qec', `${process.execPath} ${CODEXD_BIN} restart --server builtin`, '/dev/null'], {env: home.env})
    const output = collect(restart.stdout)
    const restarted = finished(restart)
    await waitFor(() => output.text().includes(`waiting for another codexd command (lock ${home.paths.supervisorLock})`), {timeoutMs: 20_000, what: 'the waiting line'})
    assert.equal((await status(home.env)).report.supervisor?.pid, before, 'nothing stopped while it waits')
    holder.kill('SIGKILL')
    const ran = await restarted
    assert.equal(ran.code, 0, output.text())
    const after = (await status(home.env)).report
    assert.equal(after.supervisor?.server, 'builtin')
    assert.notEqual(after.supervisor?.pid, before, 'a new supervisor')
  })
})
