import assert from 'node:assert/strict'
import {existsSync, mkdtempSync, readdirSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {runCodexd} from '../src/ground/harness/processes.js'
import {fixtureCommand, startAndTrack, status, supervisedHome, waitForStatus, type SupervisedHome} from './support/supervisor-home.js'

interface Listed {
  home: string
  state: string
  statusState: string | null
  childKind: string | null
  childVersion: string | null
  supervisorPid: number | null
  childPid: number | null
  uptimeMs: number | null
  restarts: number
  lastExit: {code: number | null} | null
  log: string
}

describe('codexd list: every home a supervisor started on, for this user', {timeout: 180_000}, () => {
  // One user (HOME, so one registry) with several CODEX_HOMEs in every state.
  const user = mkdtempSync(join(tmpdir(), 'codexd-user-'))
  const registry = join(user, '.local', 'state', 'codexd', 'homes')
  const homes: SupervisedHome[] = []
  const home = (server: string, extra: NodeJS.ProcessEnv = {}) => {
    const made = supervisedHome(server, extra)
    made.env.HOME = user
    delete made.env.XDG_STATE_HOME
    homes.push(made)
    return made
  }
  const running = home('builtin')
  const crashing = home(fixtureCommand('crash-at-once'), {CODEXD_CRASH_LOOP_COUNT: '3', CODEXD_BACKOFF_MIN_MS: '20', CODEXD_BACKOFF_MAX_MS: '50'})
  const stopped = home('builtin')
  const removed = home('builtin')
  const list = async (args: string[] = ['list', '--json']) => {
    const result = await runCodexd(args, running.env)
    assert.equal(result.code, 0, result.stderr)
    return (JSON.parse(result.stdout) as {homes: Listed[]}).homes
  }
  const find = (homes: Listed[], which: SupervisedHome) => homes.find((listed) => listed.home === which.home)

  before(async () => {
    // Started together: registration by concurrent supervisors loses none of them.
    await Promise.all([startAndTrack(running), runCodexd(['start'], crashing.env), startAndTrack(stopped), startAndTrack(removed)])
    await waitForStatus(crashing.env, (report) => report.child?.state === 'crash-loop', 'the crash-loop')
    assert.equal((await runCodexd(['stop'], stopped.env)).code, 0)
    assert.equal((await runCodexd(['stop'], removed.env)).code, 0)
  })
  after(async () => {
    for (const made of homes) await made.cleanup()
    rmSync(user, {recursive: true, force: true})
  })

  it('lists the running, crash-looping and stopped homes with their state, child, pids and restarts', async () => {
    const listed = await list()
    const live = (await status(running.env)).report
    assert.deepEqual(
      {...find(listed, running), uptimeMs: 0},
      {...find(listed, running), uptimeMs: 0, state: 'running', statusState: 'running', childKind: 'builtin', childVersion: live.child!.version, supervisorPid: live.supervisor!.pid, childPid: live.child!.pid, restarts: 0, log: running.paths.supervisorLog},
    )
    const loop = find(listed, crashing)!
    assert.equal(loop.state, 'crash-loop')
    assert.equal(loop.statusState, 'not-serving')
    assert.equal(loop.childKind, 'command')
    assert.ok(loop.restarts >= 2, `restarts ${loop.restarts}`)
    const down = find(listed, stopped)!
    assert.equal(down.state, 'stopped')
    assert.equal(down.supervisorPid, null)
    assert.equal(down.uptimeMs, null)
    assert.equal(down.lastExit?.code, 0, 'the last exit of a stopped home is shown')
  })

  it('a home that no longer exists is pruned from the registry', async () => {
    assert.equal(readdirSync(registry).length, 4, 'each supervisor registered its home once')
    rmSync(removed.home, {recursive: true, force: true})
    const listed = await list()
    assert.equal(find(listed, removed), undefined)
    assert.equal(readdirSync(registry).length, 3, 'its registry entry was removed')
    assert.deepEqual(new Set(listed.map((entry) => entry.home)), new Set([running.home, crashing.home, stopped.home]))
  })

  it('ls is the same command; the human table has one row per home, plain when piped', async () => {
    const aliased = await list(['ls', '--json'])
    assert.deepEqual(aliased.map((entry) => [entry.home, entry.state]), (await list()).map((entry) => [entry.home, entry.state]))
    const human = await runCodexd(['ls'], running.env)
    assert.equal(human.code, 0)
    assert.match(human.stdout, /^STATE\s+HOME\s+CHILD\s+PIDS\s+UPTIME\s+RESTARTS\s+LAST EXIT$/m)
    assert.match(human.stdout, new RegExp(`^crash-loop\\s+${crashing.home}\\s+command`, 'm'))
    assert.match(human.stdout, new RegExp(`^stopped\\s+${stopped.home}\\s+builtin\\s+-\\s+-\\s+0\\s+code 0 at `, 'm'))
  })

  it('no registry yet: says how a home gets listed, exit 0', async () => {
    const fresh = mkdtempSync(join(tmpdir(), 'codexd-user-'))
    try {
      const result = await runCodexd(['list'], {...running.env, HOME: fresh, CODEX_HOME: fresh})
      assert.equal(result.code, 0, result.stderr)
      assert.match(result.stdout, /no codexd supervisor has started for this user yet/)
      assert.equal(existsSync(join(fresh, '.local')), false, 'list creates nothing')
    } finally {
      rmSync(fresh, {recursive: true, force: true})
    }
  })
})
