import assert from 'node:assert/strict'
import {after, describe, test} from 'node:test'
import {tempHome} from '../src/ground/harness/home.js'
import {startBuiltinServer} from './support/builtin-server.js'
import {finished, isAlive, killAllStarted, killGroup, runCodexd, spawnCodexd, trackPid, waitFor} from '../src/ground/harness/processes.js'

/** A module hook that makes any import of @oclif/core fail: proves a command did not load it. */
const FORBID_OCLIF = `--import=data:text/javascript,${encodeURIComponent(`
import {register} from 'node:module';
register('data:text/javascript,' + encodeURIComponent('export async function resolve(s, c, next) { if (s.startsWith("@oclif/core")) throw new Error("OCLIF-LOADED"); return next(s, c) }'));
`)}`

/**
 * A module hook that makes any ES module import fail: the hot commands run as CommonJS bundles.
 * Only the entry point passes (with a hook registered, Node resolves the main module through it).
 */
const FORBID_ESM = `--import=data:text/javascript,${encodeURIComponent(`
import {register} from 'node:module';
register('data:text/javascript,' + encodeURIComponent('export async function resolve(s, c, next) { if (c.parentURL === undefined) return next(s, c); throw new Error("ESM-LOADED " + s) }'));
`)}`

describe('hot commands skip oclif', {timeout: 180_000}, () => {
  after(killAllStarted)

  test('status, start, logs, restart, stop and version answer without loading oclif, exactly as the oclif path does', async () => {
    const home = tempHome()
    try {
      const started = await runCodexd(['start', '--server', 'builtin', '--json'], home.env)
      assert.equal(started.code, 0, started.stderr)
      trackPid(JSON.parse(started.stdout).supervisorPid)
      const noOclif = {...home.env, NODE_OPTIONS: FORBID_OCLIF}
      const viaOclif = {...home.env, CODEXD_NO_FAST_PATH: '1'}

      const fast = await runCodexd(['status', '--json'], noOclif)
      assert.equal(fast.code, 0, fast.stderr)
      const slow = await runCodexd(['status', '--json'], viaOclif)
      assert.equal(slow.code, 0)
      const [a, b] = [JSON.parse(fast.stdout), JSON.parse(slow.stdout)]
      assert.deepEqual(Object.keys(a), Object.keys(b))
      assert.equal(a.state, 'running')
      assert.equal(a.supervisor.pid, b.supervisor.pid)
      assert.equal(a.child.pid, b.child.pid)

      const again = await runCodexd(['start'], noOclif)
      assert.equal(again.code, 0, again.stderr)
      assert.match(again.stdout, /^codexd is already running for /)
      assert.equal(again.stdout, (await runCodexd(['start'], viaOclif)).stdout)

      // The hook really does forbid oclif: what needs it (help) fails under the hook.
      const guarded = await runCodexd(['status', '--help'], noOclif)
      assert.notEqual(guarded.code, 0)
      assert.match(guarded.stderr, /OCLIF-LOADED/)
      // A usage error of a hot command is the fast path's own (its flag table): no oclif.
      const refused = await runCodexd(['stop', '--grace', '-5'], noOclif)
      assert.equal(refused.code, 2, refused.stderr)
      assert.match(refused.stderr, /^codexd: --grace must be a whole number >= 0, got "-5"/)

      // No ES module at all: the everyday commands run from the CommonJS bundles (dist/hot/),
      // which skip Node's ES module loader; the same hook stops anything that does load one.
      const noEsm = {...home.env, NODE_OPTIONS: FORBID_ESM}
      for (const args of [['status'], ['start'], ['logs', '-n', '1'], ['logs', '--events', '-n', '1'], ['version'], ['-v']]) {
        const cjs = await runCodexd(args, noEsm)
        assert.equal(cjs.code, 0, `${args.join(' ')}: ${cjs.stderr}`)
      }
      const esmGuarded = await runCodexd(['status', '--help'], noEsm)
      assert.match(esmGuarded.stderr, /ESM-LOADED/)

      // logs, restart and stop: the same output without oclif as with it.
      const fastEvents = await runCodexd(['logs', '--events', '--json', '-n', '0'], noOclif)
      assert.equal(fastEvents.code, 0, fastEvents.stderr)
      assert.equal(fastEvents.stdout, (await runCodexd(['logs', '--events', '--json', '-n', '0'], viaOclif)).stdout)
      assert.ok(fastEvents.stdout.split('\n').some((line) => line.includes('"kind":"spawn"')), fastEvents.stdout)
      const fastLog = await runCodexd(['logs'], noOclif)
      assert.equal(fastLog.code, 0, fastLog.stderr)
      assert.equal(fastLog.stdout, (await runCodexd(['logs'], viaOclif)).stdout)

      const before = JSON.parse((await runCodexd(['status', '--json'], noOclif)).stdout)
      const restarted = await runCodexd(['restart', '--json'], noEsm)
      assert.equal(restarted.code, 0, restarted.stderr)
      const after = JSON.parse(restarted.stdout)
      assert.equal(after.restarted, 'child')
      assert.equal(after.supervisorPid, before.supervisor.pid)
      assert.notEqual(after.childPid, before.child.pid)

      const stopped = await runCodexd(['stop', '--json', '--grace', '2000'], noEsm)
      assert.equal(stopped.code, 0, stopped.stderr)
      assert.equal(JSON.parse(stopped.stdout).endedBy, 'graceful')
      await waitFor(() => !isAlive(before.supervisor.pid), {timeoutMs: 5000, what: 'the supervisor to exit'})
      assert.equal((await runCodexd(['status'], noOclif)).code, 3)
    } finally {
      await runCodexd(['stop'], home.env)
      killAllStarted()
      home.remove()
    }
  })

  test('shell-init prints the same snippet without oclif as with it', async () => {
    const home = tempHome()
    try {
      for (const shell of ['bash', 'zsh', 'fish']) {
        const fast = await runCodexd(['shell-init', shell], {...home.env, NODE_OPTIONS: FORBID_OCLIF})
        const slow = await runCodexd(['shell-init', shell], {...home.env, CODEXD_NO_FAST_PATH: '1'})
        assert.equal(fast.code, 0, fast.stderr)
        assert.ok(fast.stdout.includes('CODEXD_NO_AUTOSTART'))
        assert.equal(fast.stdout, slow.stdout)
      }
    } finally {
      home.remove()
    }
  })

  test('proxy --jsonl carries a session without loading oclif', async () => {
    const home = tempHome()
    const server = await startBuiltinServer(home)
    try {
      const proxy = spawnCodexd(['proxy', '--jsonl'], {...home.env, NODE_OPTIONS: FORBID_OCLIF}, {stdio: ['pipe', 'pipe', 'pipe']})
      proxy.stdin!.end('{"id":1,"method":"initialize","params":{"clientInfo":{"name":"t"}}}\n{"id":2,"method":"codexd/echo","params":[1]}\n')
      const result = await finished(proxy)
      assert.equal(result.code, 0, result.stderr)
      const lines = result.stdout.trim().split('\n').map((line) => JSON.parse(line))
      assert.match(lines[0].result.userAgent, /^codexd-builtin\//)
      assert.deepEqual(lines[1], {id: 2, result: [1]})
    } finally {
      killGroup(server.child.pid)
      home.remove()
    }
  })

  test('status with nothing running: exit 3 on both paths, same report', async () => {
    const home = tempHome()
    try {
      const fast = await runCodexd(['status', '--json'], {...home.env, NODE_OPTIONS: FORBID_OCLIF})
      const slow = await runCodexd(['status', '--json'], {...home.env, CODEXD_NO_FAST_PATH: '1'})
      assert.equal(fast.code, 3)
      assert.equal(slow.code, 3)
      assert.equal(JSON.parse(fast.stdout).state, 'not-running')
      assert.deepEqual(JSON.parse(fast.stdout), JSON.parse(slow.stdout))
    } finally {
      home.remove()
    }
  })
})
