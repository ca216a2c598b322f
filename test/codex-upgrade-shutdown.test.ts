import assert from 'node:assert/strict'
import {chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'
import {finished, runCodexd, spawnCodexd, trackPid, waitFor} from '../src/ground/harness/processes.js'
import {useFakeInstall} from './support/fake-prefix.js'
import {isRunning, startAndTrack, supervisedHome, waitForStatus, waitGone} from './support/supervisor-home.js'

const OLD = '0.169.0'
const UPGRADE_ENV = {CODEXD_UPGRADE_SETTLE_MS: '300', CODEXD_PROBE_INTERVAL_MS: '600000'}
/** The supervisor gives a `--version` 10 s: the hung one must be gone long before that timer could matter. */
const GONE_AFTER_SUPERVISOR_MS = 3000

/**
 * A supervisor that stops while it reads the version of a new install whose `--version` hangs
 * (docs/codex-daemon.md, "Upgrades"): the `--version` process group dies with the supervisor,
 * whether it is stopped by `codexd stop` or a foreground `codexd run` gets SIGTERM or SIGINT.
 */
for (const how of ['codexd stop', 'SIGTERM', 'SIGINT'] as const) {
  describe(`a hung codex --version when the supervisor stops (${how})`, {timeout: 120_000}, () => {
    const home = supervisedHome('codex', UPGRADE_ENV)
    const scratch = mkdtempSync(join(tmpdir(), 'codexd-hung-'))
    const install = useFakeInstall(home.env, [OLD])

    after(async () => {
      await home.cleanup()
      rmSync(scratch, {recursive: true, force: true})
    })

    it('leaves no process of the hung --version behind', {timeout: 100_000}, async (t) => {
      if (install.skip) return t.skip(install.skip)
      const run = how === 'codexd stop' ? undefined : spawnCodexd(['run'], home.env)
      const ran = run ? finished(run) : undefined
      const report = run ? await waitForStatus(home.env, (r) => r.child?.state === 'running', 'the child running', 60_000) : await startAndTrack(home)
      const supervisor = report.supervisor!.pid
      // The script and its background child, which holds the script's stdout open.
      const pidFile = join(scratch, 'hung.pids')
      const hung = join(scratch, 'hangs')
      writeFileSync(hung, `#!/bin/sh\nsleep 600 &\necho $$ $! > ${pidFile}.tmp\nmv ${pidFile}.tmp ${pidFile}\nwait\n`)
      chmodSync(hung, 0o755)
      install.prefix!.linkSwap(hung)
      const pids = await waitFor(() => (existsSync(pidFile) ? readFileSync(pidFile, 'utf8').trim().split(' ').map(Number) : undefined), {timeoutMs: 20_000, what: 'the hung --version to start'})
      for (const pid of pids) trackPid(pid)
      assert.equal(pids.length, 2)
      assert.ok(pids.every((pid) => isRunning(pid)), 'the read hangs while the supervisor stops')
      if (run) {
        run.kill(how as NodeJS.Signals)
        assert.equal((await ran!).code, 0, `codexd run exits 0 after ${how}`)
      } else {
        const stopped = await runCodexd(['stop'], home.env)
        assert.equal(stopped.code, 0, stopped.stderr)
        await waitGone([supervisor], 'the supervisor')
      }
      await waitGone(pids, `the hung --version's processes ${pids.join(' ')} after the supervisor exited`, GONE_AFTER_SUPERVISOR_MS)
    })
  })
}
