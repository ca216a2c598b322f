// `codexd smoke` inside the suite against the built-in server: every scenario passes, in order,
// the JSON and JUnit reports agree, and nothing is left behind (no process, no temporary home).
import assert from 'node:assert/strict'
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'
import {processesForHome} from '../src/client/smoke/census.js'
import {SCENARIOS} from '../src/client/smoke/scenarios/index.js'
import {parseJunit} from './support/junit.js'
import {runCodexd} from '../src/ground/harness/processes.js'

describe('codexd smoke --server builtin', () => {
  const out = mkdtempSync(join(tmpdir(), 'codexd-smoke-out-'))
  after(() => rmSync(out, {recursive: true, force: true}))

  it('passes every scenario, reports JSON and JUnit, exits 0, and cleans up', async () => {
    const junit = join(out, 'reports', 'smoke.xml')
    const run = await runCodexd(['smoke', '--server', 'builtin', '--json', '--junit', junit, '--storm', '12'], process.env)
    const report = JSON.parse(run.stdout)
    assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`)
    assert.equal(report.ok, true)
    assert.equal(report.interrupted, false)
    assert.deepEqual(report.scenarios.map((s: any) => [s.id, s.status]), SCENARIOS.map((s) => [s.id, 'passed']))
    assert.deepEqual(report.scenarios.map((s: any) => s.id), ['cold-start', 'start-storm', 'duplicate-launch', 'proxy-initialize', 'child-kill', 'stale-socket', 'stop-clean'])
    for (const s of report.scenarios) assert.ok(Number.isInteger(s.durationMs) && s.durationMs > 0, `${s.id} is timed`)
    assert.match(report.scenarios[1].message, /^12 starts exited 0; 1 supervisor, 1 app-server/)
    assert.match(report.scenarios[2].message, /^exit 6, "already in use"/)
    // Cleanup: the temporary home is gone and no process runs for it.
    assert.equal(existsSync(report.home), false)
    assert.deepEqual(processesForHome(report.home), [])
    const xml = parseJunit(readFileSync(junit, 'utf8'))
    assert.deepEqual({tests: xml.tests, failures: xml.failures, skipped: xml.skipped}, {tests: 7, failures: 0, skipped: 0})
    assert.deepEqual(xml.cases.map((c) => [c.name, c.outcome]), SCENARIOS.map((s) => [s.name, 'passed']))
  })

  it('human output: a progress line per scenario, then the verdict', async () => {
    const run = await runCodexd(['smoke', '--server', 'builtin', '--storm', '4'], process.env)
    assert.equal(run.code, 0, run.stdout + run.stderr)
    const lines = run.stdout.split('\n')
    assert.match(lines[0], /^codexd smoke: server builtin, CODEX_HOME \/.+codexd-smoke-/)
    SCENARIOS.forEach((s, i) => assert.match(lines[i + 1], new RegExp(`^\\[${i + 1}/7\\] ok {3}${s.name.replace(/[-]/g, '\\-')}  \\(\\d+ ms\\)  `)))
    assert.match(run.stdout, /\ncodexd smoke PASSED: 7 passed, 0 failed, 0 skipped in [\d.]+ s \(server builtin\)\ncleanup: codexd stop: ok; removed /)
  })
})
