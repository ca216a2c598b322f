// The generated service files really work: the command and environment of the systemd unit and
// of the launchd plist (read back with a parser: plistlib for the plist) start a supervisor that
// serves the home; a second copy exits with the code the unit names in RestartPreventExitStatus;
// SIGTERM (what systemd's KillMode=mixed and launchd send) ends it with exit 0, so neither
// manager restarts it, and leaves no app-server process and no socket.
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {existsSync, mkdirSync} from 'node:fs'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'
import {tempHome, type TempHome} from '../src/ground/harness/home.js'
import {findExecutable} from './support/interactive-shell.js'
import {finished, isAlive, runCodexd, spawnTracked, waitFor} from '../src/ground/harness/processes.js'

/** Splits a systemd command line as written by codexd: words, "quoted words" with \\ and \" escapes; %% and $$ unescaped. */
function systemdWords(line: string): string[] {
  const words = [...line.matchAll(/"((?:[^"\\]|\\.)*)"|(\S+)/g)].map((m) => (m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]))
  return words.map((word) => word.replace(/%%/g, '%').replace(/\$\$/g, '$'))
}

/** Command and environment of a systemd unit (Environment= and ExecStart= lines). */
function fromUnit(unit: string): {argv: string[]; env: Record<string, string>; preventExit: number} {
  const env: Record<string, string> = {}
  for (const [, body] of unit.matchAll(/^Environment=(.*)$/gm)) {
    for (const word of systemdWords(body)) env[word.slice(0, word.indexOf('='))] = word.slice(word.indexOf('=') + 1)
  }
  const argv = systemdWords(/^ExecStart=(.*)$/m.exec(unit)![1])
  return {argv, env, preventExit: Number(/^RestartPreventExitStatus=(\d+)( \d+)*$/m.exec(unit)![1])}
}

/** Command and environment of a launchd plist, parsed by Python's plistlib. */
function fromPlist(plist: string): {argv: string[]; env: Record<string, string>} {
  const result = spawnSync('python3', ['-c', 'import json,plistlib,sys; print(json.dumps(plistlib.loads(sys.stdin.buffer.read())))'], {input: plist, encoding: 'utf8'})
  assert.equal(result.status, 0, result.stderr)
  const parsed = JSON.parse(result.stdout)
  return {argv: parsed.ProgramArguments, env: parsed.EnvironmentVariables}
}

describe('generated service files run the supervisor', () => {
  const homes: TempHome[] = []
  after(async () => {
    for (const home of homes) {
      await runCodexd(['stop'], home.env)
      home.remove()
    }
  })

  async function generated(platform: 'linux' | 'darwin'): Promise<{home: TempHome; content: string; user: string}> {
    const home = tempHome(`codexd-svc-run-${platform}-`)
    homes.push(home)
    const user = join(home.home, 'user')
    mkdirSync(user)
    const dry = await runCodexd(['service', 'install', '--dry-run', '--json', '--platform', platform, '--server', 'builtin'], {...home.env, HOME: user})
    assert.equal(dry.code, 0, dry.stderr)
    return {home, content: JSON.parse(dry.stdout).content, user}
  }

  /** Runs the service's command as its manager would (only its own environment plus HOME). */
  async function serviceLifecycle(home: TempHome, user: string, argv: string[], env: Record<string, string>, preventExit?: number): Promise<void> {
    const serviceEnv: NodeJS.ProcessEnv = {HOME: user, ...env}
    assert.equal(serviceEnv.CODEX_HOME, home.home)
    const service = spawnTracked(argv[0], argv.slice(1), {env: serviceEnv})
    const exited = finished(service)
    const report = await waitFor(async () => {
      const status = await runCodexd(['status', '--json'], home.env)
      return status.code === 0 ? JSON.parse(status.stdout) : undefined
    }, {timeoutMs: 90_000, intervalMs: 250, what: 'the service to serve the home'})
    assert.equal(report.supervisor.pid, service.pid, 'the service process is the supervisor (no fork: systemd and launchd track it)')
    if (preventExit !== undefined) {
      const second = await finished(spawnTracked(argv[0], argv.slice(1), {env: serviceEnv}))
      assert.equal(second.code, preventExit, `a second copy exits with RestartPreventExitStatus (${second.stderr})`)
    }
    service.kill('SIGTERM')
    const end = await exited
    assert.equal(end.code, 0, `SIGTERM ends it with exit 0 (no restart): ${end.stderr}`)
    await waitFor(() => !isAlive(report.child.pid), {what: 'the app-server child to be gone'})
    assert.equal(existsSync(home.paths.appServerSocket), false, 'no socket left')
  }

  it('systemd unit: ExecStart + Environment serve the home; a duplicate exits with RestartPreventExitStatus; SIGTERM exits 0', async () => {
    const {home, content, user} = await generated('linux')
    const {argv, env, preventExit} = fromUnit(content)
    assert.equal(argv.at(-1), 'run')
    await serviceLifecycle(home, user, argv, env, preventExit)
  })

  it('systemd template instance: codexd@.service with CODEX_HOME=%f (as systemd unescapes the instance) + the drop-in serve the home', async (t) => {
    if (!findExecutable('systemd-escape')) return t.skip('systemd-escape is not installed (Debian package systemd)')
    const home = tempHome('codexd-svc-run-tpl-')
    homes.push(home)
    const user = join(home.home, 'user')
    mkdirSync(user)
    const dry = await runCodexd(['service', 'install', '--dry-run', '--json', '--home', home.home, '--server', 'builtin'], {...home.env, HOME: user})
    assert.equal(dry.code, 0, dry.stderr)
    const result = JSON.parse(dry.stdout)
    const instance = /^codexd@(.+)\.service$/.exec(result.name)![1]!
    const unescaped = spawnSync('systemd-escape', ['--unescape', '--path', instance], {encoding: 'utf8'}).stdout.trim()
    // What systemd does with the instance's unit: the template, %f expanded, then the drop-in.
    const {argv, env, preventExit} = fromUnit(`${result.template.content.replace(/(?<!%)%f/g, unescaped)}\n${result.content}`)
    assert.equal(env.CODEXD_SERVER, 'builtin')
    await serviceLifecycle(home, user, argv, env, preventExit)
  })

  it('launchd plist: ProgramArguments + EnvironmentVariables serve the home; SIGTERM exits 0 (KeepAlive does not restart)', async (t) => {
    if (!findExecutable('python3')) return t.skip('python3 (plistlib) is not installed')
    const {home, content, user} = await generated('darwin')
    const {argv, env} = fromPlist(content)
    assert.equal(argv.at(-1), 'run')
    await serviceLifecycle(home, user, argv, env)
  })
})
