// Issue 13, point 1: the packed tarball installs into an empty prefix (native builds included,
// no TypeScript build), and the installed `codexd` on PATH starts, reports, proxies and stops.
import assert from 'node:assert/strict'
import {execFile} from 'node:child_process'
import {existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {fileURLToPath} from 'node:url'
import {promisify} from 'node:util'
import {tempHome} from '../src/ground/harness/home.js'
import {finished, spawnTracked, trackPid, waitFor} from '../src/ground/harness/processes.js'
import {collect} from './support/proxy-stdio.js'
import {REGISTRY_FAILURE} from '../src/ground/harness/real-codex.js'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const run = promisify(execFile)
/** Compiling sqlite3 and fs-ext from source: about 2 CPU-minutes, 11 minutes of wall time on a busy 2-core machine. */
const INSTALL_TIMEOUT_MS = 20 * 60_000

describe('npm pack, then npm install -g of the tarball into an empty prefix', {timeout: INSTALL_TIMEOUT_MS + 120_000}, () => {
  const work = mkdtempSync(join(tmpdir(), 'codexd-pack-'))
  const prefix = join(work, 'prefix')
  const home = tempHome('codexd-packed-')
  let skip: string | undefined
  let tarball = ''
  // PATH starts with the prefix's bin: `codexd` below is the installed one, found by name.
  const env = () => ({...home.env, PATH: `${join(prefix, 'bin')}:${process.env.PATH}`, CODEXD_SERVER: 'builtin'})
  const codexd = async (args: string[]) => finished(spawnTracked('codexd', args, {env: env()}))

  before(async () => {
    // The tarball of the built tree as it is (npm test built it): no rebuild under running tests.
    const packed = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], {cwd: ROOT, maxBuffer: 64 * 1024 * 1024})
    tarball = join(work, (JSON.parse(packed.stdout) as [{filename: string}])[0].filename)
    // The registry is asked only for what the cache lacks; sqlite3 and fs-ext compile against
    // the machine's Node headers when it has them (as .ci/run does), not downloaded ones.
    const npmEnv: NodeJS.ProcessEnv = {...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false'}
    // Headers of the Node running this test: those .ci/run points npm at (npm_config_nodedir, e.g.
    // Node 24's package), else the machine's own at /usr when this is the machine's node.
    if (!npmEnv.npm_config_nodedir && process.execPath === '/usr/bin/node' && existsSync('/usr/include/node/node.h')) npmEnv.npm_config_nodedir = '/usr'
    try {
      await run('npm', ['install', '-g', '--allow-scripts=fs-ext,sqlite3', '--prefix', prefix, '--prefer-offline', tarball], {env: npmEnv, timeout: INSTALL_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024})
    } catch (error) {
      const output = `${(error as {stdout?: string}).stdout ?? ''}${(error as {stderr?: string}).stderr ?? ''}`
      const registry = REGISTRY_FAILURE.exec(output)
      if (registry) skip = `npm registry unavailable (${registry[0]}): the packed install was not tried`
      else throw new Error(`npm install -g ${tarball} failed: ${output.split('\n').filter((line) => /error|ERR/.test(line)).slice(0, 6).join(' | ')}`, {cause: error})
    }
  })
  after(async () => {
    if (existsSync(join(prefix, 'bin', 'codexd'))) await codexd(['stop', '--grace', '500']).catch(() => {})
    home.remove()
    rmSync(work, {recursive: true, force: true})
  })

  it('the tarball holds the built package (dist, the hot bundles, the manifest, schemas), not the sources', async (t) => {
    const listed = (await run('tar', ['tzf', tarball])).stdout.split('\n').filter(Boolean)
    for (const file of ['package/bin/run.cjs', 'package/dist/hot/fast-path.cjs', 'package/dist/hot/status.cjs', 'package/dist/cli/commands/list.js', 'package/oclif.manifest.json', 'package/schemas/status.json', 'package/package.json']) {
      assert.ok(listed.includes(file), `${file} is missing from the tarball`)
    }
    assert.deepEqual(listed.filter((file) => /^package\/(src|test|scripts|bench)\//.test(file) || file.endsWith('.ts') && !file.endsWith('.d.ts')), [])
    if (skip) t.skip(skip)
  })

  it('installs without a TypeScript build: the native modules compiled, no devDependency present', (t) => {
    if (skip) return t.skip(skip)
    const installed = join(prefix, 'lib', 'node_modules', 'codexd')
    assert.equal(realpathSync(join(prefix, 'bin', 'codexd')), join(realpathSync(installed), 'bin', 'run.cjs'))
    for (const devOnly of ['typescript', 'esbuild', 'oclif', 'tsx']) assert.equal(existsSync(join(installed, 'node_modules', devOnly)), false, `${devOnly} was installed`)
    assert.ok(existsSync(join(installed, 'node_modules', 'sqlite3', 'build', 'Release', 'node_sqlite3.node')), 'sqlite3 was built')
    assert.ok(readdirSync(join(installed, 'node_modules', 'fs-ext', 'build', 'Release')).includes('fs_ext.node'), 'fs-ext was built')
  })

  it('the installed codexd: start, status, proxy --jsonl (initialize round trip), stop', async (t) => {
    if (skip) return t.skip(skip)
    const started = await codexd(['start', '--json'])
    assert.equal(started.code, 0, started.stderr)
    const {supervisorPid} = JSON.parse(started.stdout) as {supervisorPid: number}
    trackPid(supervisorPid)
    // The supervisor runs from the prefix, not from this checkout.
    const cmdline = readFileSync(`/proc/${supervisorPid}/cmdline`, 'utf8').split('\0')
    assert.ok(cmdline.some((arg) => arg.startsWith(join(prefix, 'lib', 'node_modules', 'codexd'))), cmdline.join(' '))

    const status = await codexd(['status', '--json'])
    assert.equal(status.code, 0, status.stderr)
    const report = JSON.parse(status.stdout)
    assert.equal(report.state, 'running')
    assert.equal(report.supervisor.pid, supervisorPid)

    const proxy = spawnTracked('codexd', ['proxy', '--jsonl'], {env: env(), stdio: ['pipe', 'pipe', 'pipe']})
    const out = collect(proxy.stdout)
    proxy.stdin!.write(`${JSON.stringify({id: 1, method: 'initialize', params: {clientInfo: {name: 'pack-test', title: 'pack test', version: '1'}}})}\n`)
    const answer = await waitFor(() => {
      const line = out.text().split('\n').find((text) => text.includes('"id":1'))
      return line === undefined ? undefined : (JSON.parse(line) as {result?: {userAgent?: string}})
    }, {timeoutMs: 20_000, what: 'the initialize answer through the installed proxy'})
    assert.match(answer.result?.userAgent ?? '', /codexd-builtin/)
    proxy.stdin!.end()
    assert.equal((await finished(proxy)).code, 0)

    const stopped = await codexd(['stop', '--json'])
    assert.equal(stopped.code, 0, stopped.stderr)
    assert.equal(JSON.parse(stopped.stdout).supervisorPid, supervisorPid)
    assert.equal((await codexd(['status'])).code, 3)
  })
})
