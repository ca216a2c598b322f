import assert from 'node:assert/strict'
import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {fileURLToPath} from 'node:url'
import {runCodexd, trackPid} from '../src/ground/harness/processes.js'
import {loadValidator, SCHEMAS} from './support/schema-check.js'
import {supervisedHome} from './support/supervisor-home.js'

const ROOT = fileURLToPath(new URL('..', import.meta.url))

/** The keys at every depth (arrays: of their first item), to compare the shapes of two documents (null counts as a value). */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.length === 0 ? [] : [shape(value[0])]
  if (value === null || typeof value !== 'object') return 'value'
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, shape(inner)]))
}

async function json(args: string[], env: NodeJS.ProcessEnv, codes = [0]): Promise<any> {
  const result = await runCodexd(args, env)
  assert.ok(codes.includes(result.code ?? -1), `codexd ${args.join(' ')} exited ${result.code}: ${result.stderr}`)
  return JSON.parse(result.stdout)
}

describe('--json outputs match the JSON Schemas in schemas/', {timeout: 180_000}, () => {
  const home = supervisedHome('builtin')
  delete home.env.XDG_STATE_HOME
  let check: ReturnType<typeof loadValidator>
  before(() => {
    check = loadValidator()
  })
  after(() => home.cleanup())

  it('every command with --json has a schema, and every schema compiles in strict mode', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'oclif.manifest.json'), 'utf8')) as {commands: Record<string, {flags: Record<string, unknown>}>}
    const withJson = Object.entries(manifest.commands).filter(([, command]) => 'json' in command.flags).map(([id]) => (id === 'logs' ? 'logs-events' : id.replaceAll(':', '-')))
    assert.ok(withJson.length >= 8, `found ${withJson.join(', ')}`)
    const files = readdirSync(SCHEMAS)
    for (const id of withJson) assert.ok(files.includes(`${id}.json`), `codexd ${id} --json has no schemas/${id}.json`)
  })

  it('start, status (running), list, logs --events, restart, stop and status (stopped): real outputs validate', async () => {
    const started = await json(['start', '--json'], home.env)
    check('start.json', started)
    trackPid(started.supervisorPid)
    check('start.json', await json(['start', '--json'], home.env))
    const running = await json(['status', '--json'], home.env)
    check('status.json', running)
    check('list.json', await json(['list', '--json'], home.env))
    check('restart.json', await json(['restart', '--json'], home.env))
    const events = (await runCodexd(['logs', '--events', '--json', '-n', '0'], home.env)).stdout.trim().split('\n')
    assert.ok(events.length >= 4)
    for (const line of events) check('logs-events.json', JSON.parse(line))
    check('stop.json', await json(['stop', '--json'], home.env))
    check('stop.json', await json(['stop', '--json'], home.env))
    const stopped = await json(['status', '--json'], home.env, [3])
    check('status.json', stopped)
    check('list.json', await json(['list', '--json'], home.env))
    // Running or stopped, the same keys at every depth (supervisor and child become null).
    const keys = (report: any) => shape({...report, supervisor: null, child: null, unmanagedListener: null, lastExit: null})
    assert.deepEqual(keys(stopped), keys(running))
    assert.deepEqual(Object.keys(stopped.events[0]), Object.keys(running.events[0]))
  })

  it('service install, status and uninstall (systemd files, the manager not reachable or not run) validate', async () => {
    for (const args of [['service', 'install', '--platform', 'linux', '--json'], ['service', 'install', '--platform', 'darwin', '--dry-run', '--json']]) check('service-install.json', await json(args, home.env))
    check('service-status.json', await json(['service', 'status', '--platform', 'linux', '--json'], home.env))
    check('service-uninstall.json', await json(['service', 'uninstall', '--platform', 'linux', '--json'], home.env))
  })

  it('doctor --json validates (exit 0 or 1: this machine may have findings)', async () => {
    const report = await json(['doctor', '--json'], home.env, [0, 1])
    check('doctor.json', report)
    assert.equal(report.ok, report.counts.fail === 0)
  })

  it('codex-config daemon-auto-start --json validates, read and written alike', async () => {
    for (const state of [[], ['off'], ['off'], ['on']]) check('codex-config-daemon-auto-start.json', await json(['codex-config', 'daemon-auto-start', ...state, '--json'], home.env))
  })

  it('smoke --json validates', async () => {
    const report = await json(['smoke', '--server', 'builtin', '--json'], {...home.env, CODEXD_SERVER: 'builtin'})
    check('smoke.json', report)
    assert.equal(report.ok, true)
  })
})
