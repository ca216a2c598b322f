// A `codexd proxy` (no --autostart) started while a `codexd stop` runs: the stop holds codexd's
// supervisor lock, which reads as "a start is on its way", so the proxy waits; once the stop ends
// and no supervisor runs, the proxy's next check fails it at once (exit 10), not after --wait-timeout.
import assert from 'node:assert/strict'
import {rmSync} from 'node:fs'
import {after, describe, it} from 'node:test'
import {finished, spawnCodexd, waitFor} from '../src/ground/harness/processes.js'
import {lockHolderAt} from '../src/ground/lock/holders.js'
import {fixtureCommand, startAndTrack, supervisedHome} from './support/supervisor-home.js'
import {collect} from './support/proxy-stdio.js'

describe('codexd proxy started during a codexd stop', {timeout: 120_000}, () => {
  const home = supervisedHome(fixtureCommand('ignore-sigterm'))
  after(() => home.cleanup())

  it('once the stop ends with no supervisor, exits 10 at once with "run codexd start first", not after --wait-timeout', async () => {
    await startAndTrack(home)
    // The child ignores SIGTERM: the stop lasts its whole grace, holding supervisor.lock.
    const stop = spawnCodexd(['stop', '--grace', '6000'], home.env)
    const stopped = finished(stop)
    await waitFor(() => lockHolderAt(home.paths.supervisorLock) === stop.pid, {timeoutMs: 30_000, what: 'codexd stop to hold supervisor.lock'})
    // The lingering child's socket file gone: the proxy finds nothing to connect to and waits.
    rmSync(home.paths.appServerSocket, {force: true})
    const proxy = spawnCodexd(['proxy', '--wait-timeout', '120000'], home.env)
    const exited = finished(proxy)
    const stderr = collect(proxy.stderr)
    assert.equal((await stopped).code, 0, 'the stop succeeds')
    // Well below --wait-timeout (120 s): a proxy that waited it out fails this deadline.
    const {code} = await waitFor(() => (proxy.exitCode === null ? undefined : {code: proxy.exitCode}), {timeoutMs: 30_000, what: 'the proxy to exit after the stop'})
    assert.equal(code, 10, stderr.text())
    assert.match(stderr.text(), /run codexd start first/)
    await exited
  })
})
