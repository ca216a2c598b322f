// `codexd start` fails fast and says what to do (issue 13.5, 11.6): a --server command that
// cannot run starts nothing (checked before spawning) or is stopped at its first exit 127/126;
// --server on a running home with another server says so; a failed start leads with its cause
// and quotes only this run's log lines.
import assert from 'node:assert/strict'
import {appendFileSync, mkdirSync, readFileSync} from 'node:fs'
import {after, describe, test} from 'node:test'
import {runCodexd} from '../src/ground/harness/processes.js'
import {fixtureCommand, homeProcesses, startAndTrack, status, supervisedHome, waitGone, type SupervisedHome} from './support/supervisor-home.js'

const homes: SupervisedHome[] = []
after(async () => {
  for (const home of homes) await home.cleanup()
})
function newHome(server: string, extra: NodeJS.ProcessEnv = {}): SupervisedHome {
  const home = supervisedHome(server, extra)
  homes.push(home)
  return home
}

describe('a --server command that cannot run', {timeout: 120_000}, () => {
  test('a command not on PATH: exit 8 at once, one line naming it, nothing started', async () => {
    const home = newHome('builtin')
    const result = await runCodexd(['start', '--server', 'codex-app-servre --listen unix://'], home.env)
    assert.equal(result.code, 8, result.stderr)
    const lines = result.stderr.trim().split('\n')
    assert.equal(lines.length, 1, result.stderr)
    assert.match(lines[0]!, /codex-app-servre is not found on PATH/)
    assert.deepEqual(homeProcesses(home.home), [], 'no supervisor, no child')
    assert.equal((await status(home.env)).code, 3)
  })

  test('a first word the shell must expand (not checked up front): the first exit 127 stops the supervisor; one line; nothing left running', async () => {
    const home = newHome('builtin', {CODEXD_BACKOFF_MIN_MS: '2000', CODEXD_BACKOFF_MAX_MS: '2000'})
    const result = await runCodexd(['start', '--server', '"/nonexistent/quoted server"'], home.env)
    assert.equal(result.code, 8, result.stderr)
    const lines = result.stderr.trim().split('\n')
    assert.equal(lines.length, 1, result.stderr)
    assert.match(lines[0]!, /exit 127/)
    assert.ok(lines[0]!.includes('/nonexistent/quoted server'), lines[0])
    await waitGone(homeProcesses(home.home).map((process) => process.pid), 'the stopped supervisor')
    assert.equal((await status(home.env)).code, 3, 'the supervisor was stopped')
  })
})

describe('a server command that daemonizes itself (forks the server and exits)', {timeout: 120_000}, () => {
  test('exit 8, one line saying so and naming the pid it left serving; not "another process" (exit 6)', async () => {
    const home = newHome(fixtureCommand('daemonize'))
    const result = await runCodexd(['start'], home.env)
    const lines = result.stderr.trim().split('\n')
    assert.equal(lines.length, 1, result.stderr)
    assert.equal(result.code, 8, result.stderr)
    assert.match(lines[0]!, /^codexd: the server command daemonized itself \(forked and exited\): pid (\d+)/)
    const pid = Number(/pid (\d+)/.exec(lines[0]!)![1])
    assert.ok(homeProcesses(home.home).some((process) => process.pid === pid && process.cmdline.includes('serve.mjs')), 'the named pid is the server the command left behind')
  })
})

describe('start --server X on a home that runs another server', {timeout: 120_000}, () => {
  test('exit 0 (the home runs) with one warning line naming both servers and the command that switches', async () => {
    const home = newHome(fixtureCommand('serve'))
    const first = await startAndTrack(home)
    const again = await runCodexd(['start', '--server', 'builtin'], home.env)
    assert.equal(again.code, 0, again.stderr)
    const warning = again.stderr.trim()
    assert.equal(warning.split('\n').length, 1, warning)
    assert.match(warning, /^codexd: warning: .*not builtin.*codexd restart --server builtin/)
    assert.equal((await status(home.env)).report.supervisor?.pid, first.supervisor!.pid, 'the running supervisor was left alone')
    const same = await runCodexd(['start', '--server', fixtureCommand('serve')], home.env)
    assert.equal(same.stderr, '', 'the same server: no warning')
  })
})

describe('a failed start leads with its cause', {timeout: 120_000}, () => {
  test("the cause first, then at most three log lines, none from an earlier run", async () => {
    const home = newHome(fixtureCommand('crash-at-once'), {CODEXD_CRASH_LOOP_COUNT: '2'})
    mkdirSync(home.paths.codexdDir, {recursive: true, mode: 0o700})
    const old = 'OLD-RUN-LINE: an earlier supervisor said this'
    appendFileSync(home.paths.supervisorLog, `${Array.from({length: 20}, () => old).join('\n')}\n`)
    const result = await runCodexd(['start'], home.env)
    assert.equal(result.code, 8, result.stderr)
    assert.match(result.stderr, /^codexd: the app-server is crash-looping/)
    assert.ok(!result.stderr.includes('OLD-RUN-LINE'), result.stderr)
    const quoted = /last log lines of this run: (.*)$/m.exec(result.stderr)?.[1] ?? ''
    assert.ok(quoted.split(' | ').length <= 3, result.stderr)
  })
})

describe('the supervisor log starts with codexd\'s own lines', {timeout: 120_000}, () => {
  test("no V8 flag warning (--lite-mode's --expose_wasm conflict) before the first timestamped line", async () => {
    const home = newHome('builtin')
    await startAndTrack(home)
    const lines = readFileSync(home.paths.supervisorLog, 'utf8').split('\n').filter((line) => line !== '')
    const untimed = lines.filter((line) => !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z /.test(line))
    assert.deepEqual(untimed, [], 'every line of a fresh supervisor log is one codexd wrote')
  })
})
