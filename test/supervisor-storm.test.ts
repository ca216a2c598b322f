import assert from 'node:assert/strict'
import {after, describe, it} from 'node:test'
import {finished, spawnCodexd} from '../src/ground/harness/processes.js'
import {homeProcesses, status, supervisedHome} from './support/supervisor-home.js'
import {listenerCount} from './support/unix-listeners.js'
import {RpcClient} from './support/ws-client.js'

describe('start storm', () => {
  const home = supervisedHome('builtin')
  after(() => home.cleanup())

  it('32 concurrent codexd start on an empty home: all exit 0, one supervisor, one app-server', async () => {
    const starts = Array.from({length: 32}, () => spawnCodexd(['start', '--json', '--timeout', '120000'], home.env))
    const results = await Promise.all(starts.map(finished))
    const failures = results.filter((result) => result.code !== 0).map((result) => `exit ${result.code}: ${result.stderr}`)
    assert.deepEqual(failures, [])
    const reported = results.map((result) => JSON.parse(result.stdout))
    assert.equal(reported.filter((result) => !result.alreadyRunning).length, 1, 'exactly one caller started the supervisor')
    assert.equal(new Set(reported.map((result) => result.supervisorPid)).size, 1, 'every caller saw the same supervisor')

    const processes = homeProcesses(home.home)
    const supervisors = processes.filter((p) => / run --daemon/.test(p.cmdline))
    const appServers = processes.filter((p) => / app-server --listen unix:\/\//.test(p.cmdline))
    assert.equal(supervisors.length, 1, JSON.stringify(processes))
    assert.equal(appServers.length, 1, JSON.stringify(processes))
    assert.equal(processes.length, 2, `nothing else runs for this home: ${JSON.stringify(processes)}`)
    assert.equal(listenerCount(home.paths.appServerSocket), 1)

    const {code, report} = await status(home.env)
    assert.equal(code, 0)
    assert.equal(report.supervisor?.pid, supervisors[0].pid)
    assert.equal(report.child?.pid, appServers[0].pid)
    assert.equal(report.restarts, 0)
    const client = await RpcClient.connect(home.paths.appServerSocket)
    await client.initialize()
    client.close()
  })
})
