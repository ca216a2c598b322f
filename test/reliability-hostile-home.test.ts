import assert from 'node:assert/strict'
import {chmodSync, chownSync, existsSync, lchownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {after, before, describe, test} from 'node:test'
import {planSocketEndpoint, MAX_SOCKET_PATH_BYTES} from '../src/ground/home/socket-path.js'
import {mountNoFlockFs, type NoFlockMount} from './support/noflock-mount.js'
import {CODEXD_BIN, finished, runCodexd, spawnTracked, trackPid, type Finished} from '../src/ground/harness/processes.js'
import {makeStaleSocket} from '../src/ground/harness/stale-socket.js'
import {homeProcesses, status, supervisedHome, type SupervisedHome} from './support/supervisor-home.js'
import {assertNothingLost, snapshotTree} from './support/tree-snapshot.js'
import {listenerCount} from './support/unix-listeners.js'
import {RpcClient} from './support/ws-client.js'
import {tempHome} from '../src/ground/harness/home.js'

const ROOT = process.getuid?.() === 0
const NEEDS_ROOT = ROOT ? false : 'needs root (to chown to uid 65534 or run as nobody): run the suite as root to include it'
const NOBODY = 65534
const APP_SERVER = ['app-server', '--listen', 'unix://']
const START = ['start', '--timeout', '30000']

/** A home whose env selects the built-in server with fast settings; stopped and removed after the file. */
const homes: SupervisedHome[] = []
function home(): SupervisedHome {
  const made = supervisedHome('builtin')
  homes.push(made)
  return made
}

/** The command failed with exactly one line `codexd: <message>` and `code`. */
function assertFails(result: Finished, code: number, message: string): void {
  assert.equal(result.stderr, `codexd: ${message}\n`)
  assert.equal(result.code, code)
}

/**
 * start and app-server fail with `codexd: <message>` (exit 7), status exits `statusCode` (7 with
 * the same message, or 3: not running); nothing under the home is deleted or changed, and no
 * supervisor was left running.
 */
async function assertRefused(made: SupervisedHome, message: string, statusCode: 3 | 7): Promise<void> {
  const before = snapshotTree(made.home)
  const results = await runAll(made.env)
  assertFails(results.start, 7, message)
  assertFails(results.appServer, 7, message)
  if (statusCode === 7) assertFails(results.status, 7, message)
  else assert.equal(results.status.code, 3, results.status.stderr)
  assertNothingLost(before, made.home)
  assert.deepEqual(homeProcesses(made.home), [], 'no supervisor was started')
}

/** `codexd start`, `codexd app-server` and `codexd status` on `env`, in that order. */
async function runAll(env: NodeJS.ProcessEnv): Promise<{start: Finished; appServer: Finished; status: Finished}> {
  return {start: await runCodexd(START, env), appServer: await runCodexd(APP_SERVER, env), status: await runCodexd(['status'], env)}
}

describe('hostile and broken homes, through the CLI', () => {
  after(async () => {
    for (const made of homes) await made.cleanup()
  })

  test('CODEX_HOME missing: start, app-server and status exit 7 naming it and the fix; nothing is created', async () => {
    const made = home()
    const missing = join(made.home, 'missing')
    const results = await runAll({...made.env, CODEX_HOME: missing})
    for (const result of Object.values(results)) assertFails(result, 7, `CODEX_HOME points to ${missing}, which does not exist: create it (mkdir -p ${missing}) or unset CODEX_HOME`)
    assert.equal(existsSync(missing), false)
  })

  test('CODEX_HOME is a regular file: exit 7, the file untouched', async () => {
    const made = home()
    const file = join(made.home, 'not-a-dir')
    writeFileSync(file, 'user data\n')
    const before = snapshotTree(made.home)
    const results = await runAll({...made.env, CODEX_HOME: file})
    for (const result of Object.values(results)) assertFails(result, 7, `CODEX_HOME points to ${file}, which is not a directory: point CODEX_HOME at a directory`)
    assertNothingLost(before, made.home)
  })

  test('CODEX_HOME not writable (run as nobody): start and app-server exit 7 naming the directory; status exits 3; nothing created', {skip: NEEDS_ROOT}, async () => {
    const parent = mkdtempSync(join(tmpdir(), 'codexd-ro-'))
    try {
      chmodSync(parent, 0o755)
      const readOnly = join(parent, 'home')
      mkdirSync(readOnly, {mode: 0o500})
      chownSync(readOnly, NOBODY, NOBODY)
      const env = {...home().env, CODEX_HOME: readOnly, HOME: readOnly}
      const before = snapshotTree(parent)
      assertFails(await asNobody(START, env), 7, `cannot create directory ${join(readOnly, 'codexd')} (EACCES): check that its parent exists and is writable by you`)
      assertFails(await asNobody(APP_SERVER, env), 7, `cannot create directory ${join(readOnly, 'app-server-control')} (EACCES): check that its parent exists and is writable by you`)
      const status = await asNobody(['status'], env)
      assert.equal(status.code, 3, status.stderr)
      assert.deepEqual(snapshotTree(parent), before, 'nothing created, nothing changed')
    } finally {
      rmSync(parent, {recursive: true, force: true})
    }
  })

  describe('a filesystem where flock(2) fails (a FUSE filesystem answering ENOLCK)', () => {
    let mount: NoFlockMount | {skip: string}
    before(async () => {
      mount = await mountNoFlockFs()
    })
    after(() => {
      if ('unmount' in mount) mount.unmount()
    })

    test('start and app-server exit 7 naming the lock file and the fix; status exits 3', async (t) => {
      if ('skip' in mount) return t.skip(mount.skip)
      const env = {...home().env, CODEX_HOME: mount.mountpoint}
      const results = await runAll(env)
      assertFails(results.start, 7, `cannot flock ${join(mount.mountpoint, 'codexd', 'supervisor.lock')} (ENOLCK): this filesystem does not support flock(2); put CODEX_HOME on a local filesystem`)
      assertFails(results.appServer, 7, `cannot flock ${join(mount.mountpoint, 'app-server-control', 'app-server-startup.lock')} (ENOLCK): this filesystem does not support flock(2); put CODEX_HOME on a local filesystem`)
      assert.equal(results.status.code, 3)
      assert.deepEqual(homeProcesses(mount.mountpoint), [], 'no supervisor was started')
    })
  })

  for (const [which, owner] of [['app-server-control', 'someone else'], ['app-server-control', 'group/world-writable'], ['codexd', 'someone else'], ['codexd', 'group/world-writable']] as const) {
    test(`the ${which} directory ${owner === 'someone else' ? 'owned by someone else' : 'writable by group and others'}: exit 7 naming it and the fix; kept as it is`, {skip: owner === 'someone else' ? NEEDS_ROOT : false}, async () => {
      const made = home()
      const dir = join(made.home, which)
      mkdirSync(dir, {mode: 0o700})
      if (owner === 'someone else') chownSync(dir, NOBODY, NOBODY)
      else chmodSync(dir, 0o777)
      const message = owner === 'someone else' ? `${dir} is owned by uid ${NOBODY}, not by you (uid 0): remove it or chown it to yourself` : `${dir} is writable by group or others (mode 777): run chmod 700 ${dir}`
      // status reads the supervisor's socket in codexd/: it refuses to trust one in an unsafe directory.
      await assertRefused(made, message, which === 'codexd' ? 7 : 3)
    })
  }

  test('a symlink planted by someone else at the socket path: exit 7 naming it; neither the link nor its target is touched', {skip: NEEDS_ROOT}, async () => {
    const made = home()
    mkdirSync(made.paths.controlDir, {mode: 0o700})
    const victim = join(made.home, 'victim.txt')
    writeFileSync(victim, 'precious\n')
    symlinkSync(victim, made.paths.appServerSocket)
    lchownSync(made.paths.appServerSocket, NOBODY, NOBODY)
    await assertRefused(made, `${made.paths.appServerSocket} is a symlink owned by uid ${NOBODY}, not by you: check who planted it, then remove it`, 3)
  })

  test('a regular file at the socket path: codex\'s message, exit 7, the file never deleted', async () => {
    const made = home()
    mkdirSync(made.paths.controlDir, {mode: 0o700})
    writeFileSync(made.paths.appServerSocket, 'not a socket\n')
    await assertRefused(made, `app-server control socket path exists and is not a socket: ${made.paths.appServerSocket}`, 3)
  })

  describe('the short-path directory of a socket path too long for sun_path', () => {
    /** A home whose socket paths exceed 107 bytes, with its short-path directory under a private XDG_RUNTIME_DIR. */
    function longHome(): {made: SupervisedHome; env: NodeJS.ProcessEnv; shortDir: string; bindPath: string} {
      const made = home()
      const deep = join(made.home, 'l'.repeat(60), 'o'.repeat(40))
      mkdirSync(deep, {recursive: true, mode: 0o700})
      const runtime = mkdtempSync('/tmp/cxr-')
      const env = {...made.env, CODEX_HOME: deep, XDG_RUNTIME_DIR: runtime}
      const canonical = join(deep, 'app-server-control', 'app-server-control.sock')
      assert.ok(Buffer.byteLength(canonical) > MAX_SOCKET_PATH_BYTES)
      const bindPath = planSocketEndpoint(canonical, env).bindPath
      after(async () => {
        // The home's own cleanup knows only the short CODEX_HOME: stop what runs on the long one.
        await runCodexd(['stop', '--grace', '500'], env).catch(() => {})
        for (const {pid} of homeProcesses(deep)) process.kill(pid, 'SIGKILL')
        rmSync(runtime, {recursive: true, force: true})
      })
      return {made, env, shortDir: dirname(bindPath), bindPath}
    }

    test('a symlink planted by someone else at the short path: exit 7 naming it; kept', {skip: NEEDS_ROOT}, async () => {
      const {made, env, shortDir, bindPath} = longHome()
      mkdirSync(shortDir, {mode: 0o700})
      symlinkSync(join(made.home, 'elsewhere.sock'), bindPath)
      lchownSync(bindPath, NOBODY, NOBODY)
      const before = snapshotTree(shortDir)
      const message = `app-server control socket path exists and is not a socket: ${bindPath}`
      assertFails(await runCodexd(START, env), 7, message)
      assertFails(await runCodexd(APP_SERVER, env), 7, message)
      assertNothingLost(before, shortDir)
    })

    test('the short-path directory itself a symlink to a directory holding a socket: exit 7 before anything is touched there', async () => {
      const {made, env, shortDir, bindPath} = longHome()
      const decoy = join(made.home, 'decoy')
      mkdirSync(decoy, {mode: 0o700})
      makeStaleSocket(join(decoy, bindPath.slice(shortDir.length + 1)))
      symlinkSync(decoy, shortDir)
      const before = snapshotTree(decoy)
      const message = `${shortDir} is a symlink, not a directory: remove it (rm ${shortDir}) so codexd can create a private directory`
      assertFails(await runCodexd(START, env), 7, message)
      assertFails(await runCodexd(APP_SERVER, env), 7, message)
      assertNothingLost(before, decoy)
    })

    test('never truncated: start serves through short paths, nothing is bound or created at the truncated paths, stop removes the links', async () => {
      const {env} = longHome()
      const paths = {app: join(env.CODEX_HOME!, 'app-server-control', 'app-server-control.sock'), supervisor: join(env.CODEX_HOME!, 'codexd', 'supervisor.sock')}
      const started = await runCodexd(['start'], env)
      assert.equal(started.code, 0, started.stderr)
      const {code, report} = await status(env)
      if (report.supervisor) trackPid(report.supervisor.pid)
      assert.equal(code, 0)
      assert.equal(report.child?.socket, paths.app)
      const client = await RpcClient.connect(paths.app)
      await client.initialize()
      client.close()
      for (const canonical of Object.values(paths)) {
        const truncated = Buffer.from(canonical).subarray(0, MAX_SOCKET_PATH_BYTES + 1).toString()
        assert.equal(existsSync(truncated), false, `nothing at the truncated path ${truncated}`)
        assert.equal(listenerCount(truncated), 0)
        assert.equal(listenerCount(planSocketEndpoint(canonical, env).bindPath), 1, 'one listener at the short path')
      }
      const stopped = await runCodexd(['stop'], env)
      assert.equal(stopped.code, 0, stopped.stderr)
      for (const canonical of Object.values(paths)) {
        assert.equal(existsSync(canonical), false)
        assert.equal(existsSync(planSocketEndpoint(canonical, env).bindPath), false)
      }
    })
  })
})

/** Runs `codexd ARGS` as uid/gid 65534 (nobody) with no supplementary groups. */
function asNobody(args: readonly string[], env: NodeJS.ProcessEnv): Promise<Finished> {
  return finished(spawnTracked('setpriv', [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', process.execPath, CODEXD_BIN, ...args], {env}))
}

describe('codexd run (the service form) on a home with an unusable socket path', () => {
  test('exits 7 at once with one line naming the path, spawns nothing, and keeps the file', async () => {
    const home = tempHome()
    try {
      mkdirSync(home.paths.controlDir, {mode: 0o700})
      writeFileSync(home.paths.appServerSocket, 'user data')
      const result = await runCodexd(['run'], home.env)
      assert.equal(result.code, 7)
      assert.equal(result.stderr, `codexd: app-server control socket path exists and is not a socket: ${home.paths.appServerSocket}\n`)
      assert.equal(readFileSync(home.paths.appServerSocket, 'utf8'), 'user data')
      assert.equal(existsSync(home.paths.supervisorSocket), false, 'no supervisor started')
    } finally {
      home.remove()
    }
  })
})
