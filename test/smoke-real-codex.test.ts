// `codexd smoke --server codex` against the real codex 0.169.0 from the npm registry (skipped,
// saying so, when the registry cannot be reached): every scenario passes with a real child.
import assert from 'node:assert/strict'
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {processesForHome} from '../src/client/smoke/census.js'
import {parseJunit} from './support/junit.js'
import {runCodexd} from '../src/ground/harness/processes.js'
import {installRealCodex} from '../src/ground/harness/real-codex.js'

describe('codexd smoke --server codex (real @openai/codex 0.169.0)', () => {
  let codex: {bin: string; version: string} | undefined
  let skip: string | false = false
  const out = mkdtempSync(join(tmpdir(), 'codexd-smoke-codex-'))
  before(async () => {
    const installed = await installRealCodex('0.169.0')
    if ('skip' in installed) skip = `npm registry unreachable, real codex not installed: ${installed.skip}`
    else codex = installed
  })
  after(() => rmSync(out, {recursive: true, force: true}))

  it('passes every scenario with the real codex as the app-server, exit 0, JUnit clean, nothing left', async (t) => {
    if (skip) return t.skip(skip)
    const env = {...process.env, CODEXD_CODEX_BIN: codex!.bin, PATH: `${dirname(codex!.bin)}:${process.env.PATH}`}
    const junit = join(out, 'codex.xml')
    const run = await runCodexd(['smoke', '--server', 'codex', '--json', '--storm', '8', '--junit', junit], env)
    const report = JSON.parse(run.stdout)
    assert.equal(run.code, 0, JSON.stringify(report.scenarios, null, 2) + run.stderr)
    assert.ok(report.scenarios.every((s: any) => s.status === 'passed'))
    assert.match(report.scenarios[0].message, /codex 0\.169\.0/, 'the child really is codex')
    assert.match(report.scenarios.find((s: any) => s.id === 'duplicate-launch').message, /^exit 1, "already in use"/)
    assert.match(report.scenarios.find((s: any) => s.id === 'proxy-initialize').message, /userAgent "[^"]*\/0\.169\.0 [^"]*\(codexd-smoke; 1\)"/)
    assert.equal(existsSync(report.home), false)
    assert.deepEqual(processesForHome(report.home), [])
    const xml = parseJunit(readFileSync(junit, 'utf8'))
    assert.deepEqual({tests: xml.tests, failures: xml.failures, skipped: xml.skipped}, {tests: 7, failures: 0, skipped: 0})
  })
})
