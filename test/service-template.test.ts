// `codexd service install|status|uninstall --home H`: several homes on one host as instances of
// the template codexd@.service. systemctl is a recorder script (no systemd user manager runs
// here); the files codexd writes are checked by the real `systemd-analyze verify`.
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {existsSync, lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {serviceIdentity} from '../src/client/service/service-identity.js'
import {findOnPath} from '../src/ground/children/find-on-path.js'
import {tempHome, type TempHome} from '../src/ground/harness/home.js'
import {runCodexd} from '../src/ground/harness/processes.js'

/** Logs `$*` to $FAKE_LOG; answers is-enabled/is-active like a manager that runs the unit. */
const FAKE_SYSTEMCTL = `#!/bin/sh
echo "$*" >> "$FAKE_LOG"
case "$2" in is-enabled) echo enabled ;; is-active) echo active ;; show) echo 0 ;; esac
exit 0
`

/** What `systemd-escape --path` makes of a home, from systemd itself when it is installed. */
function escaped(home: string): string {
  if (!findOnPath('systemd-escape')) return home.slice(1).replace(/-/g, '\\x2d').replace(/\//g, '-')
  return spawnSync('systemd-escape', ['--path', home], {encoding: 'utf8'}).stdout.trim()
}

describe('codexd service --home: one template, an instance per home', {timeout: 120_000}, () => {
  let base: TempHome
  let env: NodeJS.ProcessEnv
  let units: string
  let log: string
  const homes: string[] = []
  before(() => {
    base = tempHome('codexd-tpl-')
    for (const name of ['alice', 'bob-2']) {
      homes.push(join(base.home, 'homes', name))
      mkdirSync(homes.at(-1)!, {recursive: true})
    }
    const user = join(base.home, 'user')
    units = join(user, 'cfg', 'systemd', 'user')
    log = join(base.home, 'systemctl.log')
    writeFileSync(join(base.home, 'fake-systemctl'), FAKE_SYSTEMCTL, {mode: 0o755})
    env = {...base.env, HOME: user, XDG_CONFIG_HOME: join(user, 'cfg'), CODEXD_SYSTEMCTL: join(base.home, 'fake-systemctl'), FAKE_LOG: log}
  })
  after(() => base.remove())

  const calls = () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [])
  const instance = (home: string) => `codexd@${escaped(home)}.service`
  const dropIn = (home: string) => join(units, `${instance(home)}.d`, 'codexd.conf')
  const template = () => join(units, 'codexd@.service')

  it("install --home writes the template and the home's drop-in, then enables codexd@<escaped home>.service", async () => {
    const [alice, bob] = homes
    const first = await runCodexd(['service', 'install', '--home', alice, '--server', 'builtin', '--json'], env)
    assert.equal(first.code, 0, first.stderr)
    const result = JSON.parse(first.stdout)
    assert.deepEqual([result.name, result.path, result.outcome, result.template.path, result.template.outcome], [instance(alice), dropIn(alice), 'created', template(), 'created'])
    assert.deepEqual(calls(), ['--user daemon-reload', `--user enable --now ${instance(alice)}`])
    assert.match(readFileSync(dropIn(alice), 'utf8'), /^Environment="CODEXD_SERVER=builtin"$/m)
    // A second home: its own drop-in; the template is shared and already up to date.
    const second = JSON.parse((await runCodexd(['service', 'install', '--home', bob, '--json'], env)).stdout)
    assert.deepEqual([second.name, second.outcome, second.template.outcome], [instance(bob), 'created', 'unchanged'])
    assert.doesNotMatch(readFileSync(dropIn(bob), 'utf8'), /CODEXD_SERVER/)
    // Again: nothing to write, nothing restarted.
    const again = await runCodexd(['service', 'install', '--home', bob], env)
    assert.equal(again.stdout.split('\n').slice(0, 2).join('\n'), `up to date: ${template()}\nup to date: ${dropIn(bob)}`)
    assert.deepEqual(calls().slice(-2), ['--user daemon-reload', `--user enable --now ${instance(bob)}`])
  })

  it('systemd-analyze verify accepts each installed instance (template + drop-in) as codexd wrote them', (t) => {
    if (!findOnPath('systemd-analyze')) return t.skip('systemd-analyze is not installed (Debian package systemd)')
    for (const home of homes) {
      const result = spawnSync('systemd-analyze', ['verify', join(units, instance(home))], {encoding: 'utf8'})
      assert.deepEqual(result.stderr.split('\n').filter((line) => line.includes(units) || /Unknown|Invalid|not executable/.test(line)), [], result.stderr)
      assert.equal(result.status, 0, result.stderr)
    }
  })

  it("status --home reports that home's instance; a home without one is exit 3", async () => {
    const [alice] = homes
    // Like install, status compares with what install would write now: the same server choice.
    const status = await runCodexd(['service', 'status', '--home', alice, '--json'], {...env, CODEXD_SERVER: 'builtin'})
    assert.equal(status.code, 0, status.stderr)
    assert.deepEqual(JSON.parse(status.stdout), {manager: 'systemd', name: instance(alice), home: alice, path: dropIn(alice), file: 'current', managerState: 'enabled, active', supervisor: 'not-running', supervisorPid: null})
    const other = join(base.home, 'homes', 'carol')
    mkdirSync(other)
    assert.equal((await runCodexd(['service', 'status', '--home', other], env)).code, 3)
    // An edited template makes every instance outdated; install restarts all running instances.
    writeFileSync(template(), readFileSync(template(), 'utf8').replace('RestartSec=2', 'RestartSec=9'))
    assert.equal(JSON.parse((await runCodexd(['service', 'status', '--home', alice, '--json'], {...env, CODEXD_SERVER: 'builtin'})).stdout).file, 'outdated')
    assert.equal((await runCodexd(['service', 'install', '--home', alice, '--server', 'builtin'], env)).code, 0)
    assert.deepEqual(calls().slice(-1), ["--user try-restart codexd@*.service"])
  })

  it('uninstall --home removes that instance only; the template goes with the last one', async () => {
    const [alice, bob] = homes
    // What `systemctl --user enable` leaves behind for bob (the recorder does not).
    const wants = join(units, 'default.target.wants')
    mkdirSync(wants, {recursive: true})
    symlinkSync(template(), join(wants, instance(bob)))
    const first = await runCodexd(['service', 'uninstall', '--home', alice, '--json'], env)
    assert.equal(first.code, 0, first.stderr)
    assert.deepEqual(JSON.parse(first.stdout).template, {path: template(), outcome: 'kept'})
    assert.equal(existsSync(dirname(dropIn(alice))), false)
    assert.ok(existsSync(template()))
    assert.deepEqual(calls().slice(-2), [`--user disable --now ${instance(alice)}`, '--user daemon-reload'])
    const last = await runCodexd(['service', 'uninstall', '--home', bob], env)
    assert.equal(last.code, 0, last.stderr)
    assert.match(last.stdout, /removed: .*codexd@\.service \(no other home runs from it\)/)
    assert.equal(existsSync(template()), false)
    assert.throws(() => lstatSync(join(wants, instance(bob))), /ENOENT/)
    assert.equal((await runCodexd(['service', 'uninstall', '--home', bob], env)).stdout, `not installed: nothing at ${dropIn(bob)}\n`)
  })

  it('launchd has no templates: --home selects the home, whose own plist (parsed by plistlib) names it', async (t) => {
    if (!findOnPath('python3')) return t.skip('python3 (plistlib) is not installed')
    const [alice] = homes
    const run = await runCodexd(['service', 'install', '--home', alice, '--platform', 'darwin', '--json'], env)
    assert.equal(run.code, 0, run.stderr)
    const result = JSON.parse(run.stdout)
    assert.equal(result.name, serviceIdentity(alice, env).label)
    const parsed = spawnSync('python3', ['-c', 'import json,plistlib,sys; print(json.dumps(plistlib.load(open(sys.argv[1], "rb"))))', result.path], {encoding: 'utf8'})
    assert.equal(parsed.status, 0, parsed.stderr)
    assert.equal(JSON.parse(parsed.stdout).EnvironmentVariables.CODEX_HOME, alice)
    assert.equal((await runCodexd(['service', 'uninstall', '--home', alice, '--platform', 'darwin'], env)).code, 0)
  })

  it('a home that does not exist is refused (exit 7) and nothing is written', async () => {
    const missing = join(base.home, 'homes', 'nobody')
    const run = await runCodexd(['service', 'install', '--home', missing], env)
    assert.equal(run.code, 7, run.stderr)
    assert.match(run.stderr, new RegExp(`${missing}, which does not exist`))
    assert.equal(existsSync(template()), false)
  })
})
