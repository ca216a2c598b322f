// The "exactly one supervisor and one app-server" check fails for each way a storm can go
// wrong: a process of the home outside the supervisor's tree, two children, no listener.
import assert from 'node:assert/strict'
import {spawn, type ChildProcess} from 'node:child_process'
import {once} from 'node:events'
import {mkdirSync, mkdtempSync, realpathSync, rmSync} from 'node:fs'
import {createServer, type Server} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'
import {homePaths} from '../../ground/home/codex-home.js'
import {CENSUS_AVAILABLE, processesForHome} from './census.js'
import {requireOneSupervisorOneChild} from './checks.js'
import {ScenarioFailure, type SmokeContext} from './types.js'

describe('one supervisor, one app-server', {skip: CENSUS_AVAILABLE ? false : 'needs /proc (Linux)'}, () => {
  const home = realpathSync(mkdtempSync(join(tmpdir(), 'codexd-checks-')))
  const paths = homePaths(home)
  mkdirSync(paths.controlDir)
  const context = {paths} as SmokeContext
  const started: ChildProcess[] = []
  after(async () => {
    for (const child of started) child.kill('SIGKILL')
    for (const p of processesForHome(home)) process.kill(p.pid, 'SIGKILL')
    rmSync(home, {recursive: true, force: true})
  })

  /** A stand-in supervisor: a shell with `children` sleeping children, all carrying CODEX_HOME. */
  async function supervisor(children: number): Promise<number> {
    const child = spawn('sh', ['-c', `${'sleep 60 & '.repeat(children)}wait`], {env: {...process.env, CODEX_HOME: home}, stdio: 'ignore'})
    started.push(child)
    for (let i = 0; i < 400 && processesForHome(home).filter((p) => p.ppid === child.pid).length < children; i++) await new Promise((r) => setTimeout(r, 25))
    return child.pid!
  }

  async function listen(): Promise<Server> {
    const server = createServer()
    server.listen(paths.appServerSocket)
    await once(server, 'listening')
    return server
  }

  /** Kills a stand-in and its children, and waits until the census no longer sees them. */
  async function stop(pid: number): Promise<void> {
    const doomed = processesForHome(home).filter((p) => p.pid === pid || p.ppid === pid).map((p) => p.pid)
    for (const p of doomed) process.kill(p, 'SIGKILL')
    while (processesForHome(home).some((p) => doomed.includes(p.pid))) await new Promise((r) => setTimeout(r, 10))
  }

  it('passes for one supervisor with one child and one listener', async () => {
    const pid = await supervisor(1)
    const server = await listen()
    try {
      assert.match(requireOneSupervisorOneChild(context, pid), /^1 supervisor, 1 app-server \(2 processes in its tree\), 1 listener$/)
    } finally {
      server.close()
      await stop(pid)
    }
  })

  it('fails for a process of the home outside the supervisor tree (a second supervisor, a leaked app-server)', async () => {
    const pid = await supervisor(1)
    const strayProcess = spawn('sleep', ['60'], {env: {...process.env, CODEX_HOME: home}, stdio: 'ignore'})
    started.push(strayProcess)
    const stray = strayProcess.pid!
    for (let i = 0; i < 400 && !processesForHome(home).some((p) => p.pid === stray); i++) await new Promise((r) => setTimeout(r, 25))
    const server = await listen()
    try {
      assert.throws(() => requireOneSupervisorOneChild(context, pid), (e: unknown) => e instanceof ScenarioFailure && e.message === `1 process(es) for this home outside the supervisor's tree: ${stray}`)
    } finally {
      server.close()
      await stop(pid)
      await stop(stray)
    }
  })

  it('fails for two children, and for no listener', async () => {
    const pid = await supervisor(2)
    try {
      assert.throws(() => requireOneSupervisorOneChild(context, pid), /the supervisor has 2 child processes, expected 1/)
    } finally {
      await stop(pid)
    }
    const lone = await supervisor(1)
    try {
      assert.throws(() => requireOneSupervisorOneChild(context, lone), /0 listeners at .*app-server-control\.sock, expected 1/)
    } finally {
      await stop(lone)
    }
  })
})
