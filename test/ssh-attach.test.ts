// SSH attach that always finds node (issue 14, point 2), end to end through a real OpenSSH server
// on 127.0.0.1: node lives outside the session's PATH, and 16 concurrent
// `ssh ... <launcher> proxy --autostart --jsonl` clients on an empty home each complete
// initialize; one supervisor and one app-server child result; no proxy stays behind.
import assert from 'node:assert/strict'
import type {ChildProcess} from 'node:child_process'
import {chmodSync, copyFileSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, describe, test} from 'node:test'
import {launcherScriptPath} from '../src/client/install/ssh-launcher.js'
import {tempHome} from '../src/ground/harness/home.js'
import {CODEXD_BIN, killAllStarted, runCommand, runCodexd, spawnTracked, trackPid, waitFor} from '../src/ground/harness/processes.js'
import {processesForHome} from '../src/ground/proc/home-processes.js'
import {isAlive} from '../src/ground/proc/processes.js'
import {listenerCount} from '../src/ground/proc/unix-listeners.js'
import {collect, exitOf, JsonlClient} from './support/proxy-stdio.js'
import {startSshd, type TestSshd} from './support/sshd.js'

const CLIENTS = 16
/** The session's PATH (sshd's SetEnv): no node, no codexd anywhere on it. */
const SESSION_PATH = '/codexd-test-no-node/bin'

const home = tempHome('codexd-ssh-')
const scratch = mkdtempSync(join(tmpdir(), 'codexd-ssh-node-'))
let sshd: TestSshd | undefined

after(async () => {
  // What --autostart started is detached: stop it through the CLI, then kill what is left of the home by pid.
  await runCodexd(['stop'], home.env).catch(() => undefined)
  for (const {pid} of processesForHome(home.home)) trackPid(pid)
  await sshd?.stop()
  killAllStarted()
  home.remove()
  rmSync(scratch, {recursive: true, force: true})
})

/** A node binary at a path on no PATH: a hard link to this one (a copy across filesystems). */
function nodeOutsidePath(): string {
  const node = join(scratch, 'nvm-like', 'node')
  mkdirSync(join(scratch, 'nvm-like'))
  try {
    linkSync(process.execPath, node)
  } catch {
    copyFileSync(process.execPath, node)
    chmodSync(node, 0o755)
  }
  return node
}

/** Live processes whose command line names `text` (the sessions' shells: `bash -c 'CODEX_HOME=... proxy ...'`). */
function commandLinesNaming(text: string): Array<{pid: number; cmdline: string}> {
  return readdirSync('/proc').filter((name) => /^\d+$/.test(name) && Number(name) !== process.pid).flatMap((pid) => {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ')
      return cmdline.includes(text) && isAlive(Number(pid)) ? [{pid: Number(pid), cmdline}] : []
    } catch {
      return [] // gone
    }
  })
}

/** `codexd status --json` of the home (asserted running); its pids are tracked for cleanup. */
async function supervisorStatus(): Promise<{supervisor: {pid: number}; child: {pid: number}}> {
  const {code, stdout, stderr} = await runCodexd(['status', '--json'], home.env)
  assert.equal(code, 0, stderr)
  const report = JSON.parse(stdout)
  for (const pid of [report.supervisor.pid, report.child.pid]) trackPid(pid)
  return report
}

/** Runs one command over ssh to completion. */
function sshRun(server: TestSshd, command: string) {
  return runCommand('ssh', server.sshArgs(command))
}

/** One ssh client running the launcher's proxy; resolves after its initialize round trip. */
async function attach(server: TestSshd, launcher: string, index: number): Promise<{ssh: ChildProcess; stderr: {text(): string}; serverPid: number}> {
  const remote = `CODEX_HOME=${home.home} ${launcher} proxy --autostart --jsonl --wait-timeout 180000`
  // Client 0 names the command the way docs/remote.md's ~/.ssh/config entry does.
  const args = index === 0 ? server.sshArgs(undefined, ['-o', `RemoteCommand=${remote}`, '-o', 'RequestTTY=no']) : server.sshArgs(remote)
  const ssh = spawnTracked('ssh', args, {stdio: ['pipe', 'pipe', 'pipe']})
  const stderr = collect(ssh.stderr)
  const client = new JsonlClient(ssh)
  const gone = exitOf(ssh).then((exit) => Promise.reject(new Error(`ssh client ${index} exited (${exit.code ?? exit.signal}) before initialize: ${stderr.text()}`)))
  const init = await Promise.race([client.initialize(1, `ssh-${index}`), gone])
  assert.match(init.result.userAgent, /^codexd-builtin\//, `client ${index}: ${stderr.text()}`)
  client.send({id: 2, method: 'codexd/status'})
  const status = await client.answer(2, 120_000)
  return {ssh, stderr, serverPid: status.result.pid}
}

describe('ssh host <launcher> proxy --autostart', {timeout: 420_000}, () => {
  test(`${CLIENTS} concurrent ssh clients, node off the session's PATH: one supervisor, one child, no proxy left`, async (t) => {
    const started = await startSshd({setEnv: {PATH: SESSION_PATH}})
    if ('skip' in started) return t.skip(started.skip)
    sshd = started

    // The launcher, written by a node that lives where no PATH looks (like nvm's).
    const node = nodeOutsidePath()
    const env = {...home.env, XDG_DATA_HOME: join(scratch, 'data')}
    const write = await runCommand(node, [CODEXD_BIN, 'launcher', '--write'], {env})
    assert.equal(write.code, 0, write.stderr)
    const launcher = launcherScriptPath(env)
    assert.ok(write.stdout.startsWith(`created: ${launcher}\n`), write.stdout)

    // The condition is real: the session finds no node (the user's ~/.bashrc may add to PATH, as ssh has it read).
    const probe = await sshRun(sshd, 'command -v node || echo no-node; command -v codexd || echo no-codexd')
    assert.equal(probe.code, 0, `${probe.stderr}\n${sshd.log()}`)
    if (!probe.stdout.includes('no-node')) return t.skip(`this login's shell startup files put node on PATH (${probe.stdout.trim()}): the condition cannot be made here`)
    const plain = await sshRun(sshd, `CODEX_HOME=${home.home} codexd proxy --autostart`)
    assert.equal(plain.code, 127, 'without the launcher the remote command fails before codexd runs')

    const sessions = await Promise.all(Array.from({length: CLIENTS}, (_, index) => attach(sshd!, launcher, index)))
    const report = await supervisorStatus()
    assert.deepEqual([...new Set(sessions.map(({serverPid}) => serverPid))], [report.child.pid], 'every client reached the supervisor\'s one child')
    assert.equal(listenerCount(home.paths.appServerSocket), 1, 'one app-server listener in /proc/net/unix')
    assert.equal(listenerCount(home.paths.supervisorSocket), 1, 'one supervisor listener in /proc/net/unix')
    const running = processesForHome(home.home).filter(({cmdline}) => !/ proxy /.test(`${cmdline} `))
    t.diagnostic(`processes for the home besides the proxies: ${JSON.stringify(running.map(({pid, cmdline}) => ({pid, cmdline})))}`)
    assert.deepEqual(running.filter(({cmdline}) => / run( |$)/.test(cmdline)).map(({pid}) => pid), [report.supervisor.pid], 'exactly one supervisor')
    assert.deepEqual(running.filter(({cmdline}) => / app-server( |$)/.test(cmdline)).map(({pid}) => pid), [report.child.pid], 'exactly one app-server child')
    const proxyRunsOurNode = processesForHome(home.home).filter(({cmdline}) => / proxy /.test(`${cmdline} `)).every(({argv}) => argv[0] === node)
    assert.ok(proxyRunsOurNode, 'every proxy runs the node baked into the launcher')

    // Disconnect: each client ends its input, as a desktop app closing the connection does.
    for (const {ssh} of sessions) ssh.stdin!.end()
    const leftovers = () => [...processesForHome(home.home).filter(({cmdline}) => / proxy /.test(`${cmdline} `)), ...commandLinesNaming(home.home).filter(({cmdline}) => cmdline.includes('proxy'))]
    const allExited = () => sessions.every(({ssh}) => ssh.exitCode !== null || ssh.signalCode !== null)
    await waitFor(() => allExited() && leftovers().length === 0, {timeoutMs: 60_000, what: 'every ssh client and remote proxy to exit'})
      .catch(() => assert.fail(`left behind after the clients disconnected: ${JSON.stringify(leftovers())}; ssh clients still running: ${sessions.filter(({ssh}) => ssh.exitCode === null).length}`))
    sessions.forEach(({ssh, stderr}, index) => assert.equal(ssh.exitCode, 0, `ssh client ${index}: ${stderr.text()}`))
    assert.ok(isAlive(report.supervisor.pid), 'the supervisor outlives its clients')
  })
})
