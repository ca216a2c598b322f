import assert from 'node:assert/strict'
import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'
import {runCodexd} from '../src/ground/harness/processes.js'
import {fixtureCommand, homeProcesses, isRunning, startAndTrack, status, supervisedHome, waitForStatus, waitGone} from './support/supervisor-home.js'

describe('stop: a child that ignores SIGTERM', () => {
  const home = supervisedHome(fixtureCommand('ignore-sigterm'))
  after(() => home.cleanup())

  it('is killed with SIGKILL after the grace, and stop says so', async () => {
    const report = await startAndTrack(home)
    const child = report.child!.pid!
    const stopped = await runCodexd(['stop', '--grace', '700', '--json'], home.env)
    assert.equal(stopped.code, 0, stopped.stderr)
    const result = JSON.parse(stopped.stdout)
    assert.equal(result.endedBy, 'graceful', 'the supervisor itself answered and stopped')
    assert.equal(result.child.endedBy, 'sigkill')
    assert.equal(isRunning(child), false)
    assert.deepEqual(homeProcesses(home.home), [])
    assert.equal(existsSync(home.paths.appServerSocket), false, 'the socket file SIGKILL left behind was removed')
    const human = await runCodexd(['stop'], home.env)
    assert.match(human.stdout, /not running/)
  })

  it('the human message names the SIGKILL step', async () => {
    await startAndTrack(home)
    const stopped = await runCodexd(['stop', '--grace', '300'], home.env)
    assert.equal(stopped.code, 0, stopped.stderr)
    assert.match(stopped.stdout, /ignored SIGTERM and was killed with SIGKILL/)
  })
})

describe('restart --grace: the grace of the request, not the configured one', () => {
  // Configured grace 120 s: a restart that used it instead of --grace would outlast its own timeout.
  const home = supervisedHome(fixtureCommand('ignore-sigterm'), {CODEXD_STOP_GRACE_MS: '120000'})
  after(() => home.cleanup())

  it('a child that ignores SIGTERM is killed 300 ms after it, and a new child serves', {timeout: 120_000}, async () => {
    const report = await startAndTrack(home)
    const old = report.child!.pid!
    const restarted = await runCodexd(['restart', '--grace', '300', '--timeout', '20000', '--json'], home.env)
    assert.equal(restarted.code, 0, restarted.stderr)
    const after = JSON.parse(restarted.stdout)
    assert.notEqual(after.childPid, old)
    assert.equal(isRunning(old), false)
    assert.equal(isRunning(after.childPid), true)
  })
})

describe('stop: a child that forks grandchildren', () => {
  const home = supervisedHome(fixtureCommand('fork-grandchildren'))
  after(() => home.cleanup())
  const grandchildren = () => readFileSync(join(home.home, 'grandchildren.pids'), 'utf8').split('\n').map(Number)

  it('a crash of the child also ends the grandchildren it left (they ignore SIGTERM) before the restart', async () => {
    const report = await startAndTrack(home)
    const first = grandchildren()
    assert.ok(first.every(isRunning))
    process.kill(report.child!.pid!, 'SIGKILL')
    const restarted = await waitForStatus(home.env, (r) => r.child?.state === 'running' && r.child.pid !== report.child!.pid, 'the restarted child')
    assert.equal(restarted.restarts, 1)
    await waitGone(first, 'the old grandchildren')
  })

  it('stop ends the whole process group, grandchildren included', async () => {
    const {report} = await status(home.env)
    const pids = [report.supervisor!.pid, report.child!.pid!, ...grandchildren()]
    assert.ok(pids.every(isRunning))
    const stopped = await runCodexd(['stop', '--grace', '500', '--json'], home.env)
    assert.equal(stopped.code, 0, stopped.stderr)
    assert.equal(JSON.parse(stopped.stdout).child.endedBy, 'sigkill', 'the grandchildren ignored SIGTERM')
    await waitGone(pids, 'every process of the home')
    assert.deepEqual(homeProcesses(home.home), [])
  })
})

describe('stop: a wedged supervisor', () => {
  const home = supervisedHome('builtin', {CODEXD_TEST_FAULT: 'control-stop:hang'})
  after(() => home.cleanup())

  it('falls back to SIGTERM on the supervisor and the child group, and says so', async () => {
    const report = await startAndTrack(home)
    const pids = [report.supervisor!.pid, report.child!.pid!]
    const stopped = await runCodexd(['stop', '--grace', '1000', '--json'], home.env)
    assert.equal(stopped.code, 0, stopped.stderr)
    const result = JSON.parse(stopped.stdout)
    assert.equal(result.endedBy, 'sigterm')
    assert.equal(result.supervisorPid, report.supervisor!.pid)
    await waitGone(pids, 'the wedged supervisor and its child')
    assert.equal(existsSync(home.paths.supervisorSocket), false)
    assert.equal(existsSync(home.paths.appServerSocket), false)
  })
})

describe('stop: a wedged supervisor that also ignores SIGTERM', () => {
  const home = supervisedHome('builtin')
  after(() => home.cleanup())

  it('status says unreachable (exit 4); stop ends it with SIGKILL and says so', async () => {
    const {fileURLToPath} = await import('node:url')
    const {spawnTracked, waitFor} = await import('../src/ground/harness/processes.js')
    const fake = spawnTracked(process.execPath, [fileURLToPath(new URL('fixtures/children/fake-wedged-supervisor.mjs', import.meta.url))], {env: home.env})
    let stderr = ''
    fake.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    await waitFor(() => stderr.includes('wedged'), {what: 'the fake supervisor to listen'})
    const wedged = await runCodexd(['status', '--json', '--timeout', '500'], home.env)
    assert.equal(wedged.code, 4)
    assert.equal(JSON.parse(wedged.stdout).state, 'unreachable')
    const stopped = await runCodexd(['stop', '--grace', '300', '--json'], home.env)
    assert.equal(stopped.code, 0, stopped.stderr)
    const result = JSON.parse(stopped.stdout)
    assert.equal(result.endedBy, 'sigkill')
    assert.equal(result.supervisorPid, fake.pid, 'found as the holder of the instance lock')
    assert.match(stderr, /ignoring SIGTERM/, 'SIGTERM was tried first')
    await waitGone([fake.pid!], 'the fake supervisor')
    assert.equal(existsSync(home.paths.supervisorSocket), false)
  })
})

describe('a supervisor killed with SIGKILL', () => {
  const home = supervisedHome('builtin')
  after(() => home.cleanup())

  it('leaves its child orphaned; the next start reaps it and starts exactly one new child', async () => {
    const report = await startAndTrack(home)
    const orphan = report.child!.pid!
    process.kill(report.supervisor!.pid, 'SIGKILL')
    await waitGone([report.supervisor!.pid], 'the killed supervisor')
    assert.ok(isRunning(orphan), 'the child outlives its supervisor')
    const again = await startAndTrack(home)
    assert.equal(isRunning(orphan), false, 'the orphan was reaped')
    assert.notEqual(again.child?.pid, orphan)
    assert.ok(again.events.some((event) => event.kind === 'orphan-reaped'))
    const {listenerCount} = await import('./support/unix-listeners.js')
    assert.equal(listenerCount(home.paths.appServerSocket), 1)
  })

  it('stop on a home whose supervisor died still ends the orphaned child', async () => {
    const {report} = await status(home.env)
    const orphan = report.child!.pid!
    process.kill(report.supervisor!.pid, 'SIGKILL')
    await waitGone([report.supervisor!.pid], 'the killed supervisor')
    const stopped = await runCodexd(['stop', '--json'], home.env)
    assert.equal(stopped.code, 0, stopped.stderr)
    const result = JSON.parse(stopped.stdout)
    assert.equal(result.alreadyStopped, true)
    assert.equal(result.orphans.length, 1)
    await waitGone([orphan], 'the orphan')
    assert.deepEqual(homeProcesses(home.home), [])
  })
})

