import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {removeCodexDaemonFiles} from '../src/ground/children/codex-daemon-files.js'
import {homePaths} from '../src/ground/home/codex-home.js'
import {connectPathFor} from '../src/ground/home/socket-path.js'
import {isAlive, killAllStarted, runCodexd, spawnCodexd, trackPid} from '../src/ground/harness/processes.js'
import {listenerPids} from '../src/ground/proc/processes.js'
import type {StatusReport} from '../src/ground/protocol/status-report.js'
import {FAST, homeProcesses} from './support/supervisor-home.js'
import {collect, exitOf, JsonlClient, rpcThroughProxy} from './support/proxy-stdio.js'

/**
 * Any CODEX_HOME name works: every command that turns the home's path into a URL, a shell word,
 * a unit-file line, a plist string or a log field does so exactly. Each name gets one supervisor
 * that start, status, proxy, restart and stop share; `smoke` runs once for each kind of path
 * (absolute with every hostile character, relative with a trailing slash), since it takes ~30 s.
 */
interface HostileName {
  readonly label: string
  /** The directory's name, created under a fresh temporary parent. */
  readonly name: string
  /** CODEX_HOME as given: relative to the commands' working directory (the parent). */
  readonly relative?: boolean
  readonly trailingSlash?: boolean
}

const NAMES: readonly HostileName[] = [
  {label: 'a space', name: 'a b'},
  {label: 'double and single quotes', name: `q"uo'te`},
  {label: '#, ?, : and {}', name: 'h#sh?x:{1}'},
  {label: 'a percent escape', name: 'pct%41%2F'},
  {label: 'command substitutions', name: '$(touch PWNED)`touch PWNED`'},
  {label: 'non-ASCII', name: 'ünïcødé-日本-🙂'},
  {label: 'a newline', name: 'new\nline'},
  {label: 'a leading dash (relative)', name: '-dash', relative: true},
  {label: 'a trailing slash', name: 'trail', trailingSlash: true},
  {label: 'a relative path', name: 'rel dir', relative: true},
]

/** Everything hostile at once, for the one absolute smoke run. */
const ALL_AT_ONCE: HostileName = {label: 'everything at once', name: `-a b"q'#?:{}%41$(touch PWNED)ü\nx`}

interface Home {
  /** The working directory of every command (the parent of the home). */
  readonly cwd: string
  /** The home as codexd must report it: absolute, no trailing slash. */
  readonly path: string
  readonly env: NodeJS.ProcessEnv
}

const parents: string[] = []
after(() => {
  killAllStarted()
  for (const parent of parents) rmSync(parent, {recursive: true, force: true})
})

function makeHome(hostile: HostileName): Home {
  const parent = realpathSync(mkdtempSync(join(tmpdir(), 'codexd-names-')))
  parents.push(parent)
  const path = join(parent, hostile.name)
  mkdirSync(path)
  const given = `${hostile.relative ? hostile.name : path}${hostile.trailingSlash ? '/' : ''}`
  const env: NodeJS.ProcessEnv = {...process.env, ...FAST, CODEX_HOME: given, HOME: path, XDG_CONFIG_HOME: join(path, '.config')}
  for (const name of ['CODEXD_TEST_FAULT', 'CODEXD_TEST_NO_LOCK', 'CODEXD_SERVER', 'RUST_BACKTRACE']) delete env[name]
  return {cwd: parent, path, env}
}

/** `codexd ARGS` in the home's parent directory (so a relative CODEX_HOME names the home). */
function codexd(home: Home, args: readonly string[], timeoutMs = 60_000) {
  return runCodexd(args, home.env, {cwd: home.cwd, timeoutMs})
}

/** `codexd proxy ARGS` in the home's parent directory, stdio piped. */
function proxy(home: Home, args: readonly string[]) {
  return spawnCodexd(['proxy', ...args], home.env, {cwd: home.cwd, stdio: ['pipe', 'pipe', 'pipe']})
}

async function statusOf(home: Home): Promise<{code: number | null; report: StatusReport}> {
  const result = await codexd(home, ['status', '--json'])
  return {code: result.code, report: JSON.parse(result.stdout) as StatusReport}
}

/** Stops what runs for the home (gracefully, then SIGKILL of every process that names it). */
async function cleanup(home: Home): Promise<void> {
  await codexd(home, ['stop', '--grace', '500']).catch(() => {})
  for (const process of [...homeProcesses(home.env.CODEX_HOME!), ...homeProcesses(home.path)]) {
    try {
      globalThis.process.kill(process.pid, 'SIGKILL')
    } catch {
      // Gone meanwhile.
    }
  }
  removeCodexDaemonFiles(homePaths(home.path).appServerSocket)
}

/** systemd's reading of a double-quoted `Environment=` word: `\\`, `\"` and `%%` unescaped. */
function systemdUnquote(line: string): string {
  const match = /^Environment="(.*)"$/.exec(line)
  assert.ok(match, `not a quoted Environment= line: ${line}`)
  return match[1].replace(/\\(.)|%%/g, (all, escaped: string | undefined) => escaped ?? '%')
}

/** An XML <string> element's text. */
function xmlUnescape(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&')
}

for (const hostile of NAMES) {
  describe(`a CODEX_HOME with ${hostile.label}: ${JSON.stringify(hostile.name)}`, {timeout: 240_000}, () => {
    let home: Home
    let childPid: number
    before(() => void (home = makeHome(hostile)))
    after(() => cleanup(home))

    it('start returns once the app-server answered, and reports the home exactly', {timeout: 90_000}, async () => {
      const started = await codexd(home, ['start', '--server', 'builtin', '--json'])
      assert.equal(started.code, 0, `codexd start: ${started.stderr}`)
      const report = JSON.parse(started.stdout)
      trackPid(report.supervisorPid)
      assert.equal(report.home, home.path)
      assert.equal(report.appServerSocket, homePaths(home.path).appServerSocket)
      assert.equal(existsSync(join(home.cwd, 'PWNED')), false, 'no command substitution ran')
    })

    it('status says running, and the child it names is the one listening on the socket', {timeout: 30_000}, async () => {
      const {code, report} = await statusOf(home)
      assert.equal(code, 0)
      assert.equal(report.state, 'running')
      assert.equal(report.home, home.path)
      childPid = report.child!.pid!
      assert.deepEqual(listenerPids(connectPathFor(homePaths(home.path).appServerSocket)), [childPid])
    })

    it('proxy carries an initialize round trip, as bytes and as JSON lines', {timeout: 60_000}, async () => {
      const bytes = proxy(home, [])
      const client = await rpcThroughProxy(bytes)
      assert.match((await client.initialize('names')).userAgent, /^codexd-builtin\//)
      await client.close()
      assert.equal((await exitOf(bytes)).code, 0)

      const jsonl = proxy(home, ['--jsonl'])
      const stderr = collect(jsonl.stderr)
      const answer = await new JsonlClient(jsonl).initialize()
      assert.match(answer.result?.userAgent ?? '', /^codexd-builtin\//, `proxy --jsonl: ${JSON.stringify(answer)} ${stderr.text()}`)
      jsonl.stdin!.end()
      assert.equal((await exitOf(jsonl)).code, 0, stderr.text())
    })

    it('restart replaces the child and comes back running', {timeout: 90_000}, async () => {
      const restarted = await codexd(home, ['restart'])
      assert.equal(restarted.code, 0, `codexd restart: ${restarted.stderr}`)
      const {code, report} = await statusOf(home)
      assert.equal(code, 0)
      assert.equal(report.state, 'running')
      assert.notEqual(report.child!.pid, childPid)
      if (report.supervisor) trackPid(report.supervisor.pid)
    })

    it('stop stops it; status then says not running', {timeout: 60_000}, async () => {
      const {report: before} = await statusOf(home)
      const stopped = await codexd(home, ['stop'])
      assert.equal(stopped.code, 0, `codexd stop: ${stopped.stderr}`)
      assert.equal(isAlive(before.supervisor!.pid), false)
      assert.equal((await statusOf(home)).code, 3)
    })

    it('the supervisor log names the home within one line: a line break in the path is written \\n', {timeout: 10_000}, () => {
      const log = readFileSync(homePaths(home.path).supervisorLog, 'utf8')
      const escaped = home.path.replace(/\n/g, '\\n')
      assert.ok(log.includes(escaped), 'the home is logged, a line break in it written as \\n')
      if (escaped !== home.path) assert.equal(log.includes(home.path), false, 'the raw path, line break and all, never reaches the log')
    })

    it('shell-init bash --write writes a profile that bash parses, and the line it asks for sources exactly that file', {timeout: 30_000}, async () => {
      const written = await codexd(home, ['shell-init', 'bash', '--write'])
      assert.equal(written.code, 0, `codexd shell-init bash --write: ${written.stderr}`)
      const profile = join(home.path, '.config', 'codexd', 'init.bash')
      assert.match(readFileSync(profile, 'utf8'), /codexd/)
      const parsed = spawnSync('bash', ['-n', profile], {encoding: 'utf8'})
      assert.equal(parsed.status, 0, parsed.stderr)
      // The line for ~/.bashrc (the last thing printed; a quoted newline may split it), run with
      // `.` replaced by a function that prints what it was given.
      const line = written.stdout.slice(written.stdout.indexOf('if [ -f ')).trimEnd()
      const sourced = spawnSync('bash', ['-c', `enable -n .; .() { printf %s "$1"; }; ${line}`], {encoding: 'utf8'})
      assert.equal(sourced.stdout, profile, sourced.stderr)
    })

    it('service install --dry-run renders the home exactly, or refuses a name the file cannot hold in one line', {timeout: 30_000}, async () => {
      for (const platform of ['linux', 'darwin']) {
        const dry = await codexd(home, ['service', 'install', '--dry-run', '--platform', platform, '--server', 'builtin'])
        if (hostile.name.includes('\n')) {
          assert.equal(dry.code, 2, `${platform}: ${dry.stdout}${dry.stderr}`)
          const lines = dry.stderr.trimEnd().split('\n')
          assert.equal(lines.length, 1, dry.stderr)
          assert.ok(lines[0].includes(JSON.stringify(home.path)), `the refusal names the path: ${lines[0]}`)
          continue
        }
        assert.equal(dry.code, 0, `${platform}: ${dry.stderr}`)
        if (platform === 'linux') {
          const line = dry.stdout.split('\n').find((text) => text.startsWith('Environment="CODEX_HOME='))
          assert.equal(systemdUnquote(line!), `CODEX_HOME=${home.path}`)
        } else {
          const match = /<key>CODEX_HOME<\/key>\s*<string>([^<]*)<\/string>/.exec(dry.stdout)
          assert.equal(xmlUnescape(match![1]), home.path)
        }
      }
    })
  })
}

for (const hostile of [ALL_AT_ONCE, {label: 'relative with a trailing slash', name: 'rel smoke', relative: true, trailingSlash: true}]) {
  describe(`codexd smoke --home with ${hostile.label}: ${JSON.stringify(hostile.name)}`, {timeout: 180_000}, () => {
    let home: Home
    before(() => void (home = makeHome(hostile)))
    after(() => cleanup(home))

    it('passes every scenario', {timeout: 170_000}, async () => {
      const given = home.env.CODEX_HOME!
      const smoke = await codexd(home, ['smoke', '--server', 'builtin', '--storm', '4', '--home', given, '--json'], 160_000)
      const report = JSON.parse(smoke.stdout)
      const failed = report.scenarios.filter((scenario: {status: string}) => scenario.status !== 'passed')
      assert.deepEqual(failed, [], smoke.stderr)
      assert.equal(smoke.code, 0)
      assert.equal(existsSync(join(home.cwd, 'PWNED')), false, 'no command substitution ran')
    })
  })
}
