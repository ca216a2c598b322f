// `codexd smoke` fails when a guarantee breaks: non-zero exit (12), the failing scenario named in
// the human output, the JSON and the JUnit <failure>, and it still cleans up. Also Ctrl-C.
import assert from 'node:assert/strict'
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {after, describe, it} from 'node:test'
import {processesForHome} from '../src/client/smoke/census.js'
import {parseJunit} from './support/junit.js'
import {finished, runCodexd, spawnCodexd, waitFor} from '../src/ground/harness/processes.js'

const FIXTURES = fileURLToPath(new URL('./fixtures/children/', import.meta.url))

describe('codexd smoke failing', () => {
  const out = mkdtempSync(join(tmpdir(), 'codexd-smoke-fail-'))
  after(() => rmSync(out, {recursive: true, force: true}))

  it('a server that never binds: cold start FAILS, later scenarios are skipped, exit 12, JUnit <failure>, cleaned up', async () => {
    const junit = join(out, 'never-bind.xml')
    const server = `node ${join(FIXTURES, 'never-bind.mjs')}`
    const run = await runCodexd(['smoke', '--server', server, '--timeout', '4000', '--storm', '3', '--junit', junit], process.env)
    assert.equal(run.code, 12, run.stdout + run.stderr)
    assert.match(run.stdout, /\n\[1\/7\] FAIL cold start {2}\(\d+ ms\) {2}codexd start exited \d+\n/)
    assert.match(run.stdout, /\ncodexd smoke FAILED: 0 passed, \d failed, \d skipped/)
    const home = /CODEX_HOME (\S+)/.exec(run.stdout)![1]
    assert.equal(existsSync(home), false, 'the temporary home is removed')
    assert.deepEqual(processesForHome(home), [], 'no process of the never-binding server is left')
    const xml = parseJunit(readFileSync(junit, 'utf8'))
    assert.equal(xml.cases[0].name, 'cold start')
    assert.equal(xml.cases[0].outcome, 'failed')
    assert.match(xml.cases[0].message!, /^codexd start exited/)
    assert.ok(xml.failures >= 1)
    // The scenarios that need a running server are not run once it never started.
    for (const name of ['duplicate raw launch', 'initialize through codexd proxy', 'kill -9 of the app-server is recovered']) {
      assert.equal(xml.cases.find((c) => c.name === name)?.outcome, 'skipped', name)
    }
  })

  it('a server whose duplicate launch does not fail: only "duplicate raw launch" FAILS, the rest pass', async () => {
    // Serves like a real app-server, but a second copy exits 0 silently when the socket is live.
    const wrapper = join(out, 'dup-ok.mjs')
    writeFileSync(wrapper, `import {connect} from 'node:net'
import {join} from 'node:path'
const socket = connect(join(process.env.CODEX_HOME, 'app-server-control', 'app-server-control.sock'))
socket.on('connect', () => process.exit(0))
socket.on('error', () => import(${JSON.stringify(join(FIXTURES, 'serve.mjs'))}))
`)
    const run = await runCodexd(['smoke', '--server', `node ${wrapper}`, '--json', '--storm', '4', '--junit', join(out, 'dup.xml')], process.env)
    assert.equal(run.code, 12, run.stdout + run.stderr)
    const report = JSON.parse(run.stdout)
    assert.equal(report.ok, false)
    assert.deepEqual(report.scenarios.filter((s: any) => s.status !== 'passed').map((s: any) => [s.id, s.status]), [['duplicate-launch', 'failed']])
    assert.match(report.scenarios.find((s: any) => s.id === 'duplicate-launch').message, /^the duplicate launch \(.+\) exited 0, expected a failure$/)
    const xml = parseJunit(readFileSync(join(out, 'dup.xml'), 'utf8'))
    assert.deepEqual(xml.cases.filter((c) => c.outcome !== 'passed').map((c) => c.name), ['duplicate raw launch'])
    assert.deepEqual(processesForHome(report.home), [])
  })

  it('Ctrl-C (SIGINT) mid-run: exit 130, the interrupted scenario is named, everything is stopped and removed', async () => {
    const junit = join(out, 'interrupted.xml')
    const smoke = spawnCodexd(['smoke', '--server', 'builtin', '--junit', junit], process.env, {stdio: ['ignore', 'pipe', 'pipe']})
    const done = finished(smoke)
    let stdout = ''
    smoke.stdout!.on('data', (chunk) => (stdout += chunk))
    // Interrupt once the server is up (cold start passed): there is something to clean up.
    await waitFor(() => /\[1\/7\] ok/.test(stdout), {timeoutMs: 120_000, what: 'the cold start to pass'})
    const home = /CODEX_HOME (\S+)/.exec(stdout)![1]
    smoke.kill('SIGINT')
    const run = await done
    assert.equal(run.code, 130, stdout + run.stderr)
    assert.match(run.stderr, /codexd smoke: interrupted, cleaning up/)
    assert.match(stdout, /codexd smoke INTERRUPTED: /)
    assert.equal(existsSync(home), false)
    assert.deepEqual(processesForHome(home), [], 'the supervisor and app-server were stopped')
    const xml = parseJunit(readFileSync(junit, 'utf8'))
    const interrupted = xml.cases.filter((c) => c.outcome === 'failed')
    assert.equal(interrupted.length, 1)
    assert.match(interrupted[0].message!, /^interrupted/)
  })
})
