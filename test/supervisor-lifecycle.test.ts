import assert from 'node:assert/strict'
import {existsSync, lstatSync, statSync} from 'node:fs'
import {after, describe, it} from 'node:test'
import {finished, runCodexd, spawnCodexd, waitFor} from '../src/ground/harness/processes.js'
import {homeProcesses, isRunning as isAlive, status, supervisedHome, waitForStatus, waitGone} from './support/supervisor-home.js'
import {RpcClient} from './support/ws-client.js'
import {listenerCount} from './support/unix-listeners.js'

describe('supervisor lifecycle with the built-in child', () => {
  const home = supervisedHome('builtin')
  after(() => home.cleanup())

  it('start returns only after an initialize round trip works, and says so', async () => {
    const started = await runCodexd(['start', '--json'], home.env)
    assert.equal(started.code, 0, started.stderr)
    assert.equal(started.stderr, '', 'no progress output when stderr is not a TTY')
    const result = JSON.parse(started.stdout)
    assert.equal(result.alreadyRunning, false)
    assert.equal(result.appServerSocket, home.paths.appServerSocket)
    // No waiting here: start's return is the guarantee that the server answers.
    const client = await RpcClient.connect(home.paths.appServerSocket)
    const init = await client.initialize()
    client.close()
    assert.match(init.userAgent, /codexd-builtin/)
    const {code, report} = await status(home.env)
    assert.equal(code, 0)
    assert.equal(report.state, 'running')
    assert.equal(report.supervisor?.pid, result.supervisorPid)
    assert.equal(report.child?.kind, 'builtin')
    assert.equal(report.child?.state, 'running')
    assert.equal(report.child?.lockAware, true)
    assert.equal(report.child?.socket, home.paths.appServerSocket)
    assert.ok(report.child?.pid && isAlive(report.child.pid))
    assert.equal(report.restarts, 0)
    assert.ok(report.events.some((event) => event.kind === 'ready'))
  })

  it('a second start is success and says it was already running, changing nothing', async () => {
    const before = (await status(home.env)).report
    const again = await runCodexd(['start'], home.env)
    assert.equal(again.code, 0, again.stderr)
    assert.match(again.stdout, /already running/)
    const now = (await status(home.env)).report
    assert.equal(now.supervisor?.pid, before.supervisor?.pid)
    assert.equal(now.child?.pid, before.child?.pid)
  })

  it('status prints a human table', async () => {
    const human = await runCodexd(['status'], home.env)
    assert.equal(human.code, 0)
    assert.match(human.stdout, /^state\s+running$/m)
    assert.match(human.stdout, /^child state\s+running \(pid \d+\)/m)
  })

  it('restart replaces the child, counts it, and returns once the new one answers', async () => {
    const before = (await status(home.env)).report
    const restarted = await runCodexd(['restart', '--json'], home.env)
    assert.equal(restarted.code, 0, restarted.stderr)
    const result = JSON.parse(restarted.stdout)
    assert.equal(result.restarted, 'child')
    assert.notEqual(result.childPid, before.child?.pid)
    assert.equal(isAlive(before.child!.pid!), false, 'the old child is gone')
    const {report} = await status(home.env)
    assert.equal(report.child?.state, 'running')
    assert.equal(report.child?.pid, result.childPid)
    assert.equal(report.restarts, 1)
    assert.equal(listenerCount(home.paths.appServerSocket), 1)
  })

  it('restart --server restarts the supervisor itself with the new choice', async () => {
    const {fixtureCommand} = await import('./support/supervisor-home.js')
    const before = (await status(home.env)).report
    const restarted = await runCodexd(['restart', '--server', fixtureCommand('serve'), '--json'], home.env)
    assert.equal(restarted.code, 0, restarted.stderr)
    assert.equal(JSON.parse(restarted.stdout).restarted, 'supervisor')
    const {report} = await status(home.env)
    assert.notEqual(report.supervisor?.pid, before.supervisor?.pid)
    assert.equal(report.child?.kind, 'command')
    assert.equal(report.child?.state, 'running')
    assert.equal(isAlive(before.supervisor!.pid), false)
    const back = await runCodexd(['restart', '--server', 'builtin'], home.env)
    assert.equal(back.code, 0, back.stderr)
  })

  it('stop is graceful, leaves no process and no socket file, keeps the lock files', async () => {
    const {report} = await status(home.env)
    const pids = [report.supervisor!.pid, report.child!.pid!]
    const stopped = await runCodexd(['stop', '--json'], home.env)
    assert.equal(stopped.code, 0, stopped.stderr)
    const result = JSON.parse(stopped.stdout)
    assert.equal(result.endedBy, 'graceful')
    assert.equal(result.child.endedBy, 'sigterm')
    assert.equal(result.child.pid, report.child!.pid)
    await waitGone(pids, 'supervisor and child to be gone')
    assert.deepEqual(homeProcesses(home.home), [])
    assert.equal(existsSync(home.paths.appServerSocket), false)
    assert.equal(existsSync(home.paths.supervisorSocket), false)
    assert.equal(statSync(home.paths.startupLock).mode & 0o777, 0o600)
    assert.ok(existsSync(home.paths.supervisorLock))
  })

  it('status of a stopped home exits 3 and shows the last recorded exit', async () => {
    const {code, report} = await status(home.env)
    assert.equal(code, 3)
    assert.equal(report.state, 'not-running')
    assert.equal(report.supervisor, null)
    assert.equal(report.lastExit?.reason, 'stopped by codexd stop')
    assert.ok(report.events.some((event) => event.kind === 'supervisor-stop'))
    assert.equal(existsSync(home.paths.supervisorSocket), false, 'status started nothing')
  })

  it('stopping a stopped home is success', async () => {
    const stopped = await runCodexd(['stop'], home.env)
    assert.equal(stopped.code, 0, stopped.stderr)
    assert.match(stopped.stdout, /not running/)
  })
})

describe('codexd run in the foreground', () => {
  const home = supervisedHome('builtin')
  after(() => home.cleanup())

  it('serves until SIGTERM, then exits 0 with its child gone and no socket left', async () => {
    const run = spawnCodexd(['run'], home.env)
    const report = await waitForStatus(home.env, (r) => r.state === 'running', 'the foreground supervisor to serve')
    assert.equal(report.supervisor?.pid, run.pid)
    const child = report.child!.pid!
    run.kill('SIGTERM')
    const exit = await finished(run)
    assert.equal(exit.code, 0, exit.stderr)
    assert.match(exit.stderr, /received SIGTERM/, 'foreground run mirrors its log to stderr')
    assert.equal(isAlive(child), false)
    assert.equal(existsSync(home.paths.appServerSocket), false)
    assert.equal(existsSync(home.paths.supervisorSocket), false)
  })

  it('a second supervisor on the same home refuses to run (exit 6) and names the first', async () => {
    const first = spawnCodexd(['run'], home.env)
    await waitForStatus(home.env, (r) => r.state === 'running', 'the first supervisor')
    const second = await runCodexd(['run'], home.env)
    assert.equal(second.code, 6)
    assert.match(second.stderr, new RegExp(`already runs for ${home.home}.*held by pid ${first.pid}`))
    first.kill('SIGTERM')
    assert.equal((await finished(first)).code, 0)
  })
})

describe('the supervisor state database and the instance lock', () => {
  const home = supervisedHome('builtin')
  after(() => home.cleanup())

  it('a supervisor that cannot take the instance lock exits 6 without creating or migrating the database', async () => {
    const {fileURLToPath} = await import('node:url')
    const {spawnTracked} = await import('../src/ground/harness/processes.js')
    // Holds supervisor.instance.lock (and a silent control socket), like a live supervisor.
    const holder = spawnTracked(process.execPath, [fileURLToPath(new URL('fixtures/children/fake-wedged-supervisor.mjs', import.meta.url))], {env: home.env})
    let stderr = ''
    holder.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    await waitFor(() => stderr.includes('wedged'), {what: 'the lock holder'})
    const run = await runCodexd(['run'], home.env)
    assert.equal(run.code, 6, run.stderr)
    assert.match(run.stderr, new RegExp(`held by pid ${holder.pid}`))
    assert.equal(existsSync(home.paths.supervisorDb), false, 'migrations run only under the instance lock')
    holder.kill('SIGKILL')
  })
})

describe('codexd start progress', () => {
  const home = supervisedHome('builtin')
  after(() => home.cleanup())

  it('prints progress on a TTY only', async () => {
    // script(1) gives the command a pseudo-terminal.
    const {spawnTracked} = await import('../src/ground/harness/processes.js')
    const command = `${process.execPath} ${(await import('../src/ground/harness/processes.js')).CODEXD_BIN} start`
    const tty = await finished(spawnTracked('script', ['-qec', command, '/dev/null'], {env: home.env}))
    assert.equal(tty.code, 0, tty.stdout)
    assert.match(tty.stdout, /codexd: starting the codexd supervisor/)
    assert.match(tty.stdout, /started codexd for/)
    await waitFor(() => lstatSync(home.paths.supervisorSocket).isSocket(), {what: 'supervisor socket'})
  })
})
