// `codexd service install|uninstall|status` through the CLI, in a temp HOME/XDG_CONFIG_HOME.
// There is no systemd user manager here, so systemctl is replaced (CODEXD_SYSTEMCTL) by a
// recorder script that logs its arguments: the tests assert which commands codexd runs. The
// real "manager unreachable" path is exercised with a systemctl that cannot be run.
import assert from 'node:assert/strict'
import {existsSync, lstatSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, beforeEach, describe, it} from 'node:test'
import {serviceIdentity} from '../src/client/service/service-identity.js'
import {tempHome, type TempHome} from '../src/ground/harness/home.js'
import {runCodexd, trackPid} from '../src/ground/harness/processes.js'

/** Logs `$*` to $FAKE_LOG; answers is-enabled/is-active/show (MainPID: $FAKE_MAIN_PID); exits $FAKE_FAIL_EXIT for the verb in $FAKE_FAIL_VERB. */
const FAKE_SYSTEMCTL = `#!/bin/sh
echo "$*" >> "$FAKE_LOG"
if [ "$2" = "$FAKE_FAIL_VERB" ]; then echo "$FAKE_FAIL_MESSAGE" >&2; exit 1; fi
case "$2" in is-enabled) echo enabled ;; is-active) echo active ;; show) echo "$FAKE_MAIN_PID" ;; esac
exit 0
`

describe('codexd service (systemd, through the CLI)', () => {
  let home: TempHome
  let env: NodeJS.ProcessEnv
  let unit: string
  let log: string
  let counter = 0
  const homes: TempHome[] = []
  after(() => homes.forEach((h) => h.remove()))

  beforeEach(() => {
    home = tempHome('codexd-svc-')
    homes.push(home)
    const user = join(home.home, 'user')
    mkdirSync(user)
    log = join(home.home, `systemctl-${++counter}.log`)
    const fake = join(home.home, 'fake-systemctl')
    writeFileSync(fake, FAKE_SYSTEMCTL, {mode: 0o755})
    env = {...home.env, HOME: user, XDG_CONFIG_HOME: join(user, 'cfg'), CODEXD_SYSTEMCTL: fake, FAKE_LOG: log, CODEXD_SERVER: 'builtin'}
    unit = join(user, 'cfg', 'systemd', 'user', serviceIdentity(home.home, env).unitName)
  })

  const calls = () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [])
  const name = () => serviceIdentity(home.home, env).unitName

  it('install writes the unit under $XDG_CONFIG_HOME/systemd/user, then daemon-reload + enable --now', async () => {
    const dry = await runCodexd(['service', 'install', '--dry-run', '--json'], env)
    const run = await runCodexd(['service', 'install'], env)
    assert.equal(run.code, 0, run.stderr)
    const content = readFileSync(unit, 'utf8')
    assert.equal(content, JSON.parse(dry.stdout).content)
    assert.ok(content.includes(`Environment="CODEX_HOME=${home.home}"`))
    assert.ok(content.includes('Environment="CODEXD_SERVER=builtin"'))
    assert.deepEqual(calls(), ['--user daemon-reload', `--user enable --now ${name()}`])
    assert.match(run.stdout, new RegExp(`^created: ${unit}\nran: systemctl --user daemon-reload\nran: systemctl --user enable --now ${name()}\n`))
  })

  it('install is idempotent: the same unit is not rewritten; a changed one is updated and try-restarted', async () => {
    assert.equal((await runCodexd(['service', 'install'], env)).code, 0)
    const before = statSync(unit)
    const again = await runCodexd(['service', 'install'], env)
    assert.equal(again.code, 0, again.stderr)
    assert.match(again.stdout, /^up to date: /)
    assert.equal(statSync(unit).ino, before.ino)
    assert.equal(statSync(unit).mtimeMs, before.mtimeMs)
    // An older codexd wrote a different unit (still ours): install brings it up to date.
    writeFileSync(unit, readFileSync(unit, 'utf8').replace('RestartSec=2', 'RestartSec=9'))
    const updated = await runCodexd(['service', 'install'], env)
    assert.match(updated.stdout, /^updated: /)
    assert.match(readFileSync(unit, 'utf8'), /RestartSec=2/)
    assert.deepEqual(calls().slice(-3), ['--user daemon-reload', `--user enable --now ${name()}`, `--user try-restart ${name()}`])
  })

  it('install says how to hand over when a supervisor started outside the service runs (the unit would exit 6)', async () => {
    const start = await runCodexd(['start'], env)
    assert.equal(start.code, 0, start.stderr)
    try {
      const supervisorPid = JSON.parse((await runCodexd(['status', '--json'], env)).stdout).supervisor.pid
      trackPid(supervisorPid)
      const outside = await runCodexd(['service', 'install'], env)
      assert.equal(outside.code, 0, outside.stderr)
      assert.ok(outside.stdout.endsWith(`note: codexd already runs for ${home.home} outside the service (supervisor pid ${supervisorPid}), so ${name()} cannot start (exit 6); hand over with: codexd stop && systemctl --user restart ${name()}\n`), outside.stdout)
      // The service's own supervisor (the unit's MainPID): nothing to say.
      const own = await runCodexd(['service', 'install'], {...env, FAKE_MAIN_PID: String(supervisorPid)})
      assert.doesNotMatch(own.stdout, /note:/)
    } finally {
      await runCodexd(['stop'], env)
    }
  })

  it('install never overwrites a unit it did not write (exit 7), and runs nothing', async () => {
    mkdirSync(join(unit, '..'), {recursive: true})
    writeFileSync(unit, '[Service]\nExecStart=/usr/bin/true\n')
    const run = await runCodexd(['service', 'install'], env)
    assert.equal(run.code, 7)
    assert.equal(run.stderr, `codexd: ${unit} exists and was not written by codexd (no "codexd:generated" header), so codexd will not overwrite it: move it aside and run again\n`)
    assert.equal(readFileSync(unit, 'utf8'), '[Service]\nExecStart=/usr/bin/true\n')
    assert.deepEqual(calls(), [])
    assert.equal((await runCodexd(['service', 'install', '--dry-run'], env)).code, 7)
  })

  it('--dry-run prints the unit and the commands, and writes and runs nothing', async () => {
    const run = await runCodexd(['service', 'install', '--dry-run'], env)
    assert.equal(run.code, 0, run.stderr)
    assert.ok(run.stdout.startsWith(`would write ${unit} (new file):\n\n# codexd:generated`))
    assert.match(run.stdout, /\nExecStart=.* run\n/)
    assert.ok(run.stdout.endsWith(`would run: systemctl --user daemon-reload && systemctl --user enable --now ${name()}\n`))
    assert.equal(existsSync(unit), false)
    assert.deepEqual(calls(), [])
  })

  for (const [what, override] of [['systemctl cannot be run', {CODEXD_SYSTEMCTL: '/nonexistent/systemctl'}], ['no session bus', {FAKE_FAIL_VERB: 'daemon-reload', FAKE_FAIL_MESSAGE: 'Failed to connect to bus: No medium found'}]] as const) {
    it(`without a reachable systemd user manager (${what}) install writes the unit, exits 0, prints the commands`, async () => {
      const run = await runCodexd(['service', 'install'], {...env, ...override})
      assert.equal(run.code, 0, run.stderr)
      assert.ok(existsSync(unit))
      assert.match(run.stdout, /the systemd user manager cannot be reached \(.+\); to apply it, run:\n/)
      assert.ok(run.stdout.endsWith(`\n  systemctl --user daemon-reload && systemctl --user enable --now ${name()}\n`))
    })
  }

  it('a manager step failing after the first is an error (exit 11) naming the command', async () => {
    const run = await runCodexd(['service', 'install'], {...env, FAKE_FAIL_VERB: 'enable', FAKE_FAIL_MESSAGE: 'Unit file is masked.'})
    assert.equal(run.code, 11)
    assert.equal(run.stderr, `codexd: systemctl --user enable --now ${name()} failed (Unit file is masked.): check journalctl --user -u ${name()} and run it again\n`)
  })

  it('uninstall disables and removes; again is success; a foreign unit is refused and kept', async () => {
    await runCodexd(['service', 'install'], env)
    const run = await runCodexd(['service', 'uninstall'], env)
    assert.equal(run.code, 0, run.stderr)
    assert.equal(existsSync(unit), false)
    assert.deepEqual(calls().slice(-2), [`--user disable --now ${name()}`, '--user daemon-reload'])
    const again = await runCodexd(['service', 'uninstall'], env)
    assert.equal(again.code, 0)
    assert.equal(again.stdout, `not installed: nothing at ${unit}\n`)
    writeFileSync(unit, '[Service]\nExecStart=/usr/bin/true\n')
    const foreign = await runCodexd(['service', 'uninstall'], env)
    assert.equal(foreign.code, 7)
    assert.ok(existsSync(unit))
  })

  it('uninstall without a reachable manager removes the unit and its enable link, and says how to stop it', async () => {
    await runCodexd(['service', 'install'], env)
    // What `systemctl --user enable` leaves behind.
    const wants = join(unit, '..', 'default.target.wants')
    mkdirSync(wants)
    symlinkSync(unit, join(wants, name()))
    const run = await runCodexd(['service', 'uninstall'], {...env, CODEXD_SYSTEMCTL: '/nonexistent/systemctl'})
    assert.equal(run.code, 0, run.stderr)
    assert.equal(existsSync(unit), false)
    assert.throws(() => lstatSync(join(wants, name())), /ENOENT/)
    assert.ok(run.stdout.endsWith(`\n  systemctl --user stop ${name()} && systemctl --user daemon-reload\n`))
  })

  it('status: exit 3 before install; exit 0 with the manager state after; outdated after an edit; 3 for a foreign file', async () => {
    const before = await runCodexd(['service', 'status', '--json'], env)
    assert.equal(before.code, 3)
    assert.equal(JSON.parse(before.stdout).file, 'absent')
    await runCodexd(['service', 'install'], env)
    const installed = await runCodexd(['service', 'status', '--json'], env)
    assert.equal(installed.code, 0, installed.stderr)
    assert.deepEqual(JSON.parse(installed.stdout), {manager: 'systemd', name: name(), home: home.home, path: unit, file: 'current', managerState: 'enabled, active', supervisor: 'not-running', supervisorPid: null})
    writeFileSync(unit, readFileSync(unit, 'utf8').replace('RestartSec=2', 'RestartSec=9'))
    assert.equal(JSON.parse((await runCodexd(['service', 'status', '--json'], env)).stdout).file, 'outdated')
    writeFileSync(unit, '[Service]\n')
    const foreign = await runCodexd(['service', 'status'], env)
    assert.equal(foreign.code, 3)
    assert.match(foreign.stdout, /a file codexd did not write is in the way/)
  })

  it('without XDG_CONFIG_HOME the unit goes to $HOME/.config/systemd/user', async () => {
    const plain = {...env}
    delete plain.XDG_CONFIG_HOME
    const run = await runCodexd(['service', 'install', '--json'], plain)
    assert.equal(run.code, 0, run.stderr)
    assert.equal(JSON.parse(run.stdout).path, join(env.HOME!, '.config', 'systemd', 'user', name()))
    rmSync(join(env.HOME!, '.config'), {recursive: true})
  })

  it('--platform darwin writes the launchd agent under ~/Library/LaunchAgents and only prints the launchctl commands', async () => {
    const run = await runCodexd(['service', 'install', '--platform', 'darwin'], env)
    assert.equal(run.code, 0, run.stderr)
    const label = serviceIdentity(home.home, env).label
    const plist = join(env.HOME!, 'Library', 'LaunchAgents', `${label}.plist`)
    assert.match(readFileSync(plist, 'utf8'), new RegExp(`<string>${label}</string>`))
    assert.match(run.stdout, /launchd cannot be reached \(this is linux, the service is for darwin\); to apply it, run:\n {2}launchctl enable gui\/\d+\/.+ && launchctl bootstrap gui\/\d+ .+\.plist\n$/)
    assert.deepEqual(calls(), [])
    assert.equal((await runCodexd(['service', 'uninstall', '--platform', 'darwin'], env)).code, 0)
    assert.equal(existsSync(plist), false)
  })
})
