import assert from 'node:assert/strict'
import {existsSync, lstatSync, readFileSync, readlinkSync} from 'node:fs'
import {dirname, resolve} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {finished, runCodexd, spawnCodexd} from '../src/ground/harness/processes.js'
import {installRealCodex} from '../src/ground/harness/real-codex.js'
import {homeProcesses, isRunning, startAndTrack, status, supervisedHome, waitGone, type SupervisedHome} from './support/supervisor-home.js'
import {listenerCount} from './support/unix-listeners.js'
import {RpcClient} from './support/ws-client.js'

/** What codex 0.132.0 prints when two launches race on one home (codex-facts.md). */
const RACE_ERRORS = /already exists|duplicate column|UNIQUE constraint failed|Address in use|no such table|malformed/i

/** A supervised home running real codex VERSION (installed in before()); `skip` is set when the registry is unreachable. */
function realCodexHome(version: string): {home: SupervisedHome; skip: () => string | undefined} {
  const home = supervisedHome('codex')
  let skip: string | undefined
  before(async () => {
    const codex = await installRealCodex(version)
    if ('skip' in codex) skip = `npm registry unreachable, codex ${version} not installed: ${codex.skip}`
    else home.env.CODEXD_CODEX_BIN = codex.bin
  })
  after(() => home.cleanup())
  return {home, skip: () => skip}
}

describe('real codex 0.169.0 supervised end to end', () => {
  const {home, skip} = realCodexHome('0.169.0')

  it('starts codex as a lock-aware child, serves initialize, restarts it, and stops it leaving nothing', async (t) => {
    if (skip()) return t.skip(skip())
    const report = await startAndTrack(home)
    assert.equal(report.child?.kind, 'codex')
    assert.equal(report.child?.version, '0.169.0')
    assert.equal(report.child?.lockAware, true, '>= 0.133.0: codexd never holds the startup lock for it')
    assert.equal(report.child?.state, 'running')
    // 0.169.0 makes the socket path a symlink into /tmp/codex-daemon-<uid>/.
    assert.ok(lstatSync(home.paths.appServerSocket).isSymbolicLink())
    const target = resolve(dirname(home.paths.appServerSocket), readlinkSync(home.paths.appServerSocket))
    const client = await RpcClient.connect(home.paths.appServerSocket)
    const init = await client.initialize()
    client.close()
    assert.equal(init.codexHome, home.home)
    assert.equal(listenerCount(target), 1)

    const restarted = await runCodexd(['restart', '--json'], home.env)
    assert.equal(restarted.code, 0, restarted.stderr)
    const after = (await status(home.env)).report
    assert.equal(after.child?.state, 'running')
    assert.equal(after.restarts, 1)
    assert.equal(isRunning(report.child!.pid!), false)

    const stopped = await runCodexd(['stop', '--json'], home.env)
    assert.equal(stopped.code, 0, stopped.stderr)
    assert.equal(JSON.parse(stopped.stdout).child.endedBy, 'sigterm')
    await waitGone([after.supervisor!.pid, after.child!.pid!], 'codexd and codex')
    assert.deepEqual(homeProcesses(home.home), [])
    assert.equal(existsSync(home.paths.appServerSocket), false)
    assert.equal(lstatOrNull(home.paths.appServerSocket), null, 'no dangling symlink either')
  })

  it('auto picks codex from PATH', async (t) => {
    if (skip()) return t.skip(skip())
    const env: NodeJS.ProcessEnv = {...home.env, CODEXD_SERVER: 'auto', PATH: `${dirname(home.env.CODEXD_CODEX_BIN!)}:${process.env.PATH}`}
    delete env.CODEXD_CODEX_BIN
    const started = await runCodexd(['start'], env)
    assert.equal(started.code, 0, started.stderr)
    const {report} = await status(env)
    assert.equal(report.child?.kind, 'codex')
    assert.equal(report.supervisor?.server, 'auto')
    assert.equal((await runCodexd(['stop'], env)).code, 0)
  })
})

describe('real codex 0.132.0 (before the upstream fix) under a start storm', () => {
  const {home, skip} = realCodexHome('0.132.0')

  it('16 concurrent codexd start on a fresh home: all succeed, one listener, no migration error in the child logs', async (t) => {
    if (skip()) return t.skip(skip())
    const results = await Promise.all(Array.from({length: 16}, () => finished(spawnCodexd(['start', '--timeout', '120000'], home.env))))
    assert.deepEqual(results.filter((r) => r.code !== 0).map((r) => r.stderr), [])
    const {code, report} = await status(home.env)
    assert.equal(code, 0)
    assert.equal(report.child?.version, '0.132.0')
    assert.equal(report.child?.lockAware, false, 'codexd serializes its startup under app-server-startup.lock')
    assert.equal(report.restarts, 0)
    assert.equal(listenerCount(home.paths.appServerSocket), 1)
    const codexProcesses = homeProcesses(home.home).filter((p) => p.cmdline.includes('app-server --listen'))
    assert.equal(codexProcesses.length, 1, JSON.stringify(codexProcesses))
    const log = readFileSync(home.paths.supervisorLog, 'utf8')
    assert.doesNotMatch(log, RACE_ERRORS)
    const client = await RpcClient.connect(home.paths.appServerSocket)
    assert.equal((await client.initialize()).codexHome, home.home)
    client.close()
  })
})

function lstatOrNull(path: string): unknown {
  try {
    return lstatSync(path)
  } catch {
    return null
  }
}
