// `codexd doctor` (issue 14, point 1): each check is shown by creating its condition for real
// (wrong modes, planted processes, a fake loginctl where systemd cannot run, a stale codex
// socket, a real launcher), plus the JSON shape and the exit codes. Mounts: doctor-mounts.test.ts.
import assert from 'node:assert/strict'
import {chmodSync, chownSync, linkSync, copyFileSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmdirSync, rmSync, statSync, symlinkSync, writeFileSync} from 'node:fs'
import {randomBytes} from 'node:crypto'
import {createServer} from 'node:net'
import {userInfo} from 'node:os'
import {join} from 'node:path'
import {after, describe, test} from 'node:test'
import {launcherScriptPath} from '../src/client/install/ssh-launcher.js'
import {makeStaleSocket} from '../src/ground/harness/stale-socket.js'
import {CODEXD_BIN, runCodexd, runCommand, spawnTracked, waitFor} from '../src/ground/harness/processes.js'
import {isAlive} from '../src/ground/proc/processes.js'
import {doctor, doctorEnv} from './support/doctor-run.js'
import {installRealCodex} from '../src/ground/harness/real-codex.js'
import {homesForFile} from './support/proxy-stdio.js'

const newHome = homesForFile('codexd-doctor-')
const uid = process.getuid!()

/** An executable /bin/sh script at `dir/name`. */
function script(dir: string, name: string, body: string): string {
  mkdirSync(dir, {recursive: true})
  const path = join(dir, name)
  writeFileSync(path, `#!/bin/sh\n${body}\n`)
  chmodSync(path, 0o755)
  return path
}

/** A process whose command line reads like codex's (argv0 and arguments), idle until killed. */
function plantProcess(argv0: string, args: readonly string[], env: NodeJS.ProcessEnv) {
  return spawnTracked(process.execPath, ['-e', 'setInterval(() => {}, 1 << 30)', ...args], {env, argv0, stdio: 'ignore'})
}

describe('codexd doctor', {timeout: 180_000}, () => {
  test('the JSON shape, exit 0 without failures, --strict counts warnings, and the human form', async () => {
    const home = newHome()
    const env = doctorEnv(home)
    const {code, report} = await doctor(env)
    assert.equal(code, 0, JSON.stringify(report.checks.filter(({status}) => status === 'fail')))
    assert.deepEqual(Object.keys(report), ['schema', 'home', 'ok', 'counts', 'checks'])
    assert.equal(report.schema, 1)
    assert.equal(report.home, home.home)
    assert.equal(report.ok, true)
    for (const check of report.checks) {
      assert.deepEqual(Object.keys(check), ['id', 'status', 'found', 'fix'])
      assert.ok(['ok', 'warn', 'fail'].includes(check.status))
      assert.equal(check.fix === null, check.status === 'ok', `${check.id}: a fix exactly when not ok`)
    }
    assert.deepEqual(report.checks.map(({id}) => id), [
      'node', 'codex', 'codex-daemon', 'codex-daemon-tmp', 'filesystem', 'flock', 'free-space',
      'socket-path:app-server', 'socket-path:supervisor',
      'permissions:home', 'permissions:app-server-control', 'permissions:codexd', 'permissions:app-server-socket', 'permissions:supervisor-socket',
      'xdg-runtime-dir', 'systemd-linger', 'launcher', 'login-path',
    ])
    const counted = {ok: 0, warn: 0, fail: 0}
    for (const {status} of report.checks) counted[status]++
    assert.deepEqual(report.counts, counted)
    assert.ok(report.counts.warn > 0, 'a fresh home has no launcher: a warning')
    assert.equal((await runCodexd(['doctor', '--strict'], env)).code, 1, '--strict: warnings are problems')
    const human = await runCodexd(['doctor'], env)
    assert.equal(human.code, 0)
    assert.match(human.stdout, new RegExp(`^codexd doctor: CODEX_HOME=${home.home}\n`))
    assert.match(human.stdout, /^warn {2}launcher +no launcher at .*\n +fix: run `codexd launcher --write`/m)
    assert.match(human.stdout, /\d+ ok, \d+ warnings?, 0 failed\n$/)
  })

  test('a running supervisor is all good: its directories and sockets pass, nothing is mistaken for codex\'s daemon', async () => {
    const home = newHome()
    const env = doctorEnv(home)
    const start = await runCodexd(['start', '--server', 'builtin', '--json'], env)
    assert.equal(start.code, 0, start.stderr)
    try {
      const {code, check} = await doctor(env)
      assert.equal(code, 0)
      for (const id of ['codex-daemon', 'permissions:app-server-control', 'permissions:codexd', 'permissions:app-server-socket', 'permissions:supervisor-socket', 'flock']) {
        assert.equal(check(id).status, 'ok', `${id}: ${check(id).found}`)
      }
      assert.match(check('permissions:app-server-socket').found, /a socket of yours, mode 600/)
    } finally {
      await runCodexd(['stop'], env)
    }
  })

  test('wrong modes and owners: a group-writable codexd dir and a non-socket fail, a world-writable home and socket warn', async () => {
    const home = newHome()
    const env = doctorEnv(home)
    mkdirSync(home.paths.codexdDir, {mode: 0o700})
    chmodSync(home.paths.codexdDir, 0o770)
    writeFileSync(home.paths.supervisorSocket, 'not a socket')
    chmodSync(home.home, 0o777)
    mkdirSync(home.paths.controlDir, {mode: 0o700})
    const server = createServer()
    await new Promise<void>((resolve) => server.listen(home.paths.appServerSocket, resolve))
    chmodSync(home.paths.appServerSocket, 0o666)
    try {
      const {code, check, report} = await doctor(env)
      assert.equal(code, 1, 'a failed check: exit 1')
      assert.equal(report.ok, false)
      const codexd = check('permissions:codexd')
      assert.equal(codexd.status, 'fail')
      assert.match(codexd.found, /writable by group or others \(mode 770\)/)
      assert.equal(codexd.fix, `run chmod 700 ${home.paths.codexdDir}`)
      assert.equal(check('permissions:supervisor-socket').status, 'fail')
      assert.match(check('permissions:supervisor-socket').found, /is not a socket/)
      assert.equal(check('permissions:home').status, 'warn')
      assert.equal(check('permissions:home').fix, `chmod 700 ${home.home}`)
      assert.equal(check('permissions:app-server-socket').status, 'warn')
      assert.match(check('permissions:app-server-socket').found, /mode 666/)
      assert.equal(check('permissions:app-server-control').status, 'ok')
    } finally {
      server.close()
    }
  })

  test('a codexd directory owned by another user fails', {skip: uid !== 0 && 'needs root to chown'}, async () => {
    const home = newHome()
    mkdirSync(home.paths.codexdDir, {mode: 0o700})
    chownSync(home.paths.codexdDir, 65534, 65534)
    const {code, check} = await doctor(doctorEnv(home))
    assert.equal(code, 1)
    assert.match(check('permissions:codexd').found, /owned by uid 65534/)
  })

  test('a missing CODEX_HOME fails with the mkdir fix', async () => {
    const home = newHome()
    const missing = join(home.home, 'nowhere')
    const {code, check} = await doctor({...doctorEnv(home), CODEX_HOME: missing})
    assert.equal(code, 1)
    assert.equal(check('permissions:home').status, 'fail')
    assert.match(check('permissions:home').fix ?? '', new RegExp(`mkdir -m 700 -p ${missing}`))
  })

  test('a socket path past the kernel limit: bound at the short path, whose directory is checked too', async () => {
    const home = newHome()
    const deep = join(home.home, 'd'.repeat(60), 'e'.repeat(60))
    mkdirSync(deep, {recursive: true})
    const runtime = join(home.home, 'run')
    mkdirSync(runtime, {mode: 0o700})
    const {check} = await doctor(doctorEnv(home, {CODEX_HOME: deep, XDG_RUNTIME_DIR: runtime}))
    const socket = check('socket-path:app-server')
    assert.equal(socket.status, 'ok')
    assert.match(socket.found, new RegExp(`is \\d+ bytes \\(limit 107\\): bound at the short path ${runtime}/codexd/[0-9a-f]{16}\\.sock`))
    assert.match(check('permissions:short-socket-dir').found, new RegExp(`${runtime}/codexd does not exist yet`))
  })

  test('XDG_RUNTIME_DIR: unset is fine; missing and mode 755 warn; a file fails; 700 of yours is ok', async () => {
    const home = newHome()
    const at = (value: string | undefined) => doctor(doctorEnv(home, value === undefined ? {} : {XDG_RUNTIME_DIR: value})).then(({check}) => check('xdg-runtime-dir'))
    assert.equal((await at(undefined)).status, 'ok')
    assert.equal((await at(join(home.home, 'gone'))).status, 'warn')
    const open = join(home.home, 'open')
    mkdirSync(open, {mode: 0o755})
    chmodSync(open, 0o755)
    const wide = await at(open)
    assert.deepEqual([wide.status, wide.fix], ['warn', `chmod 700 ${open}`])
    writeFileSync(join(home.home, 'file'), '')
    assert.equal((await at(join(home.home, 'file'))).status, 'fail')
    const good = join(home.home, 'good')
    mkdirSync(good, {mode: 0o700})
    assert.equal((await at(good)).status, 'ok')
  })

  test('codex: its version with this home as CODEX_HOME; lock-unaware warns; a broken one or a missing required one fails', async () => {
    const home = newHome()
    const bin = join(home.home, 'bin')
    // The stand-in answers only when run with this home as CODEX_HOME, as doctor must run it.
    const fake = (version: string, expectedHome = home.home) => script(join(bin, version), 'codex', `[ "$CODEX_HOME" = '${expectedHome}' ] || { echo "CODEX_HOME is '$CODEX_HOME'" >&2; exit 3; }\necho "codex-cli ${version}"`)
    const withPath = (dir: string, extra: NodeJS.ProcessEnv = {}) => doctor(doctorEnv(home, {PATH: `${dir}:/usr/bin:/bin`, ...extra})).then(({check}) => check('codex'))
    fake('0.169.0')
    const current = await withPath(join(bin, '0.169.0'), {CODEX_HOME: home.home})
    assert.deepEqual([current.status, current.found], ['ok', `codex 0.169.0 at ${join(bin, '0.169.0', 'codex')}, takes the startup lock itself`])
    // The default home (no CODEX_HOME): codex is still told which home, never left to guess.
    const defaultHome = join(home.home, '.codex')
    mkdirSync(defaultHome)
    fake('0.170.0', defaultHome)
    const unset = doctorEnv(home, {PATH: `${join(bin, '0.170.0')}:/usr/bin:/bin`})
    delete unset.CODEX_HOME
    assert.equal((await doctor(unset)).check('codex').status, 'ok')
    fake('0.132.0')
    const old = await withPath(join(bin, '0.132.0'))
    assert.equal(old.status, 'warn')
    assert.match(old.found, /codex 0\.132\.0 .* does not take the startup lock itself \(lock-aware from 0\.133\.0\)/)
    script(join(bin, 'broken'), 'codex', 'echo "error while loading shared libraries" >&2; exit 127')
    const broken = await withPath(join(bin, 'broken'))
    assert.equal(broken.status, 'fail')
    assert.match(broken.found, /--version failed: error while loading shared libraries/)
    const none = await withPath(join(bin, 'empty'))
    assert.equal(none.status, 'ok')
    const required = await withPath(join(bin, 'empty'), {CODEXD_SERVER: 'codex'})
    assert.equal(required.status, 'fail')
  })

  test('the real codex (0.169.0 lock-aware, 0.132.0 not): its version read with this home, nothing written to ~/.codex', async (t) => {
    for (const version of ['0.169.0', '0.132.0']) {
      const installed = await installRealCodex(version)
      if ('skip' in installed) return t.skip(installed.skip)
      const home = newHome()
      const user = join(home.home, 'user')
      mkdirSync(user)
      const {check} = await doctor(doctorEnv(home, {HOME: user, CODEXD_CODEX_BIN: installed.bin}))
      const codex = check('codex')
      assert.equal(codex.status, version === '0.169.0' ? 'ok' : 'warn', codex.found)
      assert.ok(codex.found.startsWith(`codex ${version} at ${installed.bin}`), codex.found)
      assert.deepEqual(readdirSync(user), [], 'codex --version wrote nothing under HOME')
    }
  })

  test('codex\'s leftover pid-update-loop (named by CODEX_HOME) warns; its managed daemon (named by its path) fails', async () => {
    const home = newHome()
    const env = doctorEnv(home)
    const updater = plantProcess('codex', ['app-server', 'daemon', 'pid-update-loop'], env)
    await waitFor(() => readFileSync(`/proc/${updater.pid}/cmdline`, 'utf8').includes('pid-update-loop'), {what: 'the planted updater'})
    const first = await doctor(env)
    const leftover = first.check('codex-daemon')
    assert.equal(leftover.status, 'warn', leftover.found)
    assert.match(leftover.found, new RegExp(`pid ${updater.pid}: codex -e .* app-server daemon pid-update-loop`))
    assert.equal(leftover.fix, `end it: kill ${updater.pid}`)
    assert.equal(first.code, 0)

    // Started by the TUI in another user's shell: no CODEX_HOME, but it runs from inside the home.
    const release = join(home.home, 'packages', 'app-server-daemon', 'releases', '0.169.0-x86_64-unknown-linux-musl', 'bin', 'codex')
    const daemonEnv: NodeJS.ProcessEnv = {PATH: '/usr/bin:/bin', HOME: '/nonexistent'}
    const daemon = plantProcess(release, ['app-server', '--listen', 'unix://', '--analytics-default-enabled'], daemonEnv)
    await waitFor(() => readFileSync(`/proc/${daemon.pid}/cmdline`, 'utf8').includes('--analytics'), {what: 'the planted daemon'})
    const second = await doctor(env)
    const managed = second.check('codex-daemon')
    assert.equal(second.code, 1)
    assert.equal(managed.status, 'fail')
    assert.match(managed.found, new RegExp(`managed daemon serves this home \\(pid ${daemon.pid}: ${release}`))
    assert.match(managed.fix ?? '', new RegExp(`CODEX_HOME=${home.home} codex app-server daemon stop; then end its updater: kill ${updater.pid}`))
    updater.kill('SIGKILL')
    daemon.kill('SIGKILL')
    await waitFor(() => !isAlive(updater.pid!) && !isAlive(daemon.pid!), {what: 'the planted processes to exit'})
    assert.equal((await doctor(env)).check('codex-daemon').status, 'ok')
  })

  test('a daemon.pid naming a live codex app-server counts as the managed daemon; one naming a dead pid does not', async () => {
    const home = newHome()
    const env = doctorEnv(home)
    const other = doctorEnv(newHome())
    const daemon = plantProcess('codex', ['app-server', '--listen', 'unix://'], other)
    await waitFor(() => readFileSync(`/proc/${daemon.pid}/cmdline`, 'utf8').includes('unix://'), {what: 'the planted daemon'})
    mkdirSync(join(home.home, 'app-server-daemon'))
    const pidFile = join(home.home, 'app-server-daemon', 'daemon.pid')
    writeFileSync(pidFile, JSON.stringify({pid: daemon.pid, start_time: 1}))
    assert.equal((await doctor(env)).check('codex-daemon').status, 'fail')
    daemon.kill('SIGKILL')
    await waitFor(() => !isAlive(daemon.pid!), {what: 'the planted daemon to exit'})
    const gone = (await doctor(env)).check('codex-daemon')
    assert.equal(gone.status, 'ok')
    assert.match(gone.found, new RegExp(`daemon.pid names pid ${daemon.pid}, which is gone`))
  })

  test('/tmp/codex-daemon-<uid>/: a socket nobody listens on is stale; a live one is not', async () => {
    const dir = `/tmp/codex-daemon-${uid}`
    const created = (() => {
      try {
        mkdirSync(dir, {mode: 0o700})
        return true
      } catch {
        return false
      }
    })()
    const stale = join(dir, randomBytes(32).toString('hex'))
    const live = join(dir, randomBytes(32).toString('hex'))
    const server = createServer()
    try {
      makeStaleSocket(stale)
      writeFileSync(`${stale}.lock`, '')
      await new Promise<void>((resolve) => server.listen(live, resolve))
      const found = (await doctor(doctorEnv(newHome()))).check('codex-daemon-tmp')
      assert.equal(found.status, 'warn')
      assert.ok(found.found.includes(stale), found.found)
      assert.ok(!found.found.includes(live), 'a socket with a listener is not stale')
      assert.ok(found.fix?.includes(`rm -f `) && found.fix.includes(`${stale}.lock`))
    } finally {
      server.close()
      for (const path of [stale, `${stale}.lock`, live]) rmSync(path, {force: true})
      if (created) {
        try {
          rmdirSync(dir)
        } catch {
          // A real codex of another test put something there meanwhile: leave it.
        }
      }
    }
  })

  test('an installed systemd user unit: lingering on is ok, off warns with the fix (a fake loginctl: no systemd here)', async () => {
    const home = newHome()
    const fakeBin = join(home.home, 'fake-bin')
    const calls = join(home.home, 'loginctl-calls')
    script(fakeBin, 'loginctl', `echo "$@" >> '${calls}'\necho "Linger=$FAKE_LINGER"`)
    const env = doctorEnv(home, {PATH: `${fakeBin}:${process.env.PATH}`, XDG_CONFIG_HOME: join(home.home, 'config'), USER: userInfo().username})
    assert.equal((await doctor({...env, FAKE_LINGER: 'no'})).check('systemd-linger').found, 'no codexd systemd user unit is installed')
    assert.throws(() => readFileSync(calls), 'loginctl is not asked without a unit')
    const install = await runCodexd(['service', 'install'], env)
    assert.equal(install.code, 0, install.stderr)
    const off = (await doctor({...env, FAKE_LINGER: 'no'})).check('systemd-linger')
    assert.equal(off.status, 'warn')
    assert.match(off.found, /lingering is off .*Linger=no/)
    assert.equal(off.fix, `loginctl enable-linger ${userInfo().username}`)
    const on = (await doctor({...env, FAKE_LINGER: 'yes'})).check('systemd-linger')
    assert.equal(on.status, 'ok')
    assert.equal(readFileSync(calls, 'utf8').split('\n')[0], `show-user ${userInfo().username} -p Linger`)
    script(fakeBin, 'loginctl', 'echo "Failed to connect to bus: No such file or directory" >&2; exit 1')
    const broken = (await doctor(env)).check('systemd-linger')
    assert.equal(broken.status, 'warn')
    assert.match(broken.found, /failed: Failed to connect to bus/)
  })
})

describe('codexd launcher and doctor\'s launcher and login-path checks', {timeout: 180_000}, () => {
  const home = newHome()
  const data = join(home.home, 'data')
  const env = doctorEnv(home, {XDG_DATA_HOME: data, CODEXD_LOGIN_PATH: '/codexd-test-no-node/bin'})
  const launcher = launcherScriptPath(env)
  const otherNode = join(home.home, 'other-node', 'node')
  after(() => rmSync(otherNode, {force: true}))

  test('missing: doctor warns; a login without node warns too', async () => {
    const {check} = await doctor(env)
    assert.equal(check('launcher').status, 'warn')
    const login = check('login-path')
    assert.equal(login.status, 'warn', login.found)
    assert.match(login.found, /finds no node and codexd: `ssh host codexd proxy --autostart` fails before codexd runs/)
    assert.equal(login.fix, `run \`codexd launcher --write\`, then use \`${launcher} proxy --autostart\` as the remote command`)
  })

  test('--write creates it (0755, this node and codexd baked in), then it runs codexd with no PATH at all', async () => {
    const write = await runCodexd(['launcher', '--write'], env)
    assert.equal(write.code, 0, write.stderr)
    assert.match(write.stdout, new RegExp(`^created: ${launcher}\nremote command \\(desktop app, editors, scripts\\):\n  ${launcher} proxy --autostart\n`))
    assert.equal(readFileSync(launcher, 'utf8'), (await runCodexd(['launcher'], env)).stdout, 'it writes what it prints')
    assert.equal(statSync(launcher).mode & 0o777, 0o755)
    assert.equal((await runCodexd(['launcher', '--path'], env)).stdout, `${launcher}\n`)
    assert.ok(readFileSync(launcher, 'utf8').includes(`node='${process.execPath}'\nentry='${realpathSync(CODEXD_BIN)}'\n`))
    const status = await runCommand(launcher, ['status', '--json'], {env: {CODEX_HOME: home.home}})
    assert.equal(status.code, 3, `codexd ran and found nothing running: ${status.stderr}`)
    assert.equal(JSON.parse(status.stdout).state, 'not-running')
    assert.equal((await runCodexd(['launcher', '--write'], env)).stdout.split('\n')[0], `up to date: ${launcher}`)
    const {code, check} = await doctor(env)
    assert.equal(code, 0)
    assert.equal(check('launcher').status, 'ok')
    const login = check('login-path')
    assert.equal(login.status, 'ok')
    assert.match(login.found, /finds no node and codexd, but the launcher .* needs no PATH/)
  })

  test('a login that finds node and codexd is ok without the launcher', async () => {
    const path = join(home.home, 'login-bin')
    mkdirSync(path)
    symlinkSync(process.execPath, join(path, 'node'))
    symlinkSync(CODEXD_BIN, join(path, 'codexd'))
    const login = (await doctor({...env, CODEXD_LOGIN_PATH: path})).check('login-path')
    assert.equal(login.status, 'ok')
    assert.match(login.found, new RegExp(`finds node at ${path}/node and codexd at ${path}/codexd`))
  })

  test('written by another node: stale (warn); that node gone: broken (fail, and the launcher exits 127 saying why)', async () => {
    mkdirSync(join(home.home, 'other-node'))
    try {
      linkSync(process.execPath, otherNode)
    } catch {
      copyFileSync(process.execPath, otherNode)
      chmodSync(otherNode, 0o755)
    }
    const rewrite = await runCommand(otherNode, [CODEXD_BIN, 'launcher', '--write'], {env})
    assert.equal(rewrite.code, 0, rewrite.stderr)
    const stale = await doctor(env)
    assert.equal(stale.check('launcher').status, 'warn')
    assert.match(stale.check('launcher').found, new RegExp(`runs node ${otherNode} and codexd .*, not this node`))
    assert.equal(stale.check('login-path').status, 'warn', 'a stale launcher is not counted on')
    rmSync(otherNode)
    const broken = await doctor(env)
    assert.equal(broken.code, 1)
    assert.equal(broken.check('launcher').status, 'fail')
    const run = await runCommand(launcher, ['status'], {env: {CODEX_HOME: home.home}})
    assert.equal(run.code, 127)
    assert.equal(run.stderr, `codexd launcher: ${otherNode} or ${realpathSync(CODEXD_BIN)} is gone (node or codexd moved or upgraded): run \`codexd launcher --write\` again with the node and codexd you use\n`)
  })

  test('not executable fails; a file codexd did not write is refused by --write (exit 7) and warned about', async () => {
    assert.equal((await runCodexd(['launcher', '--write'], env)).code, 0)
    chmodSync(launcher, 0o644)
    assert.equal((await doctor(env)).check('launcher').status, 'fail')
    writeFileSync(launcher, '#!/bin/sh\nexec my-own-thing "$@"\n')
    const refused = await runCodexd(['launcher', '--write'], env)
    assert.equal(refused.code, 7)
    assert.match(refused.stderr, /was not written by codexd .*move it aside/)
    assert.equal((await doctor(env)).check('launcher').status, 'warn')
    assert.equal(readFileSync(launcher, 'utf8'), '#!/bin/sh\nexec my-own-thing "$@"\n')
  })
})

