// End to end: a real interactive bash/zsh/fish whose profile holds the real `codexd shell-init`
// output (eval form and --write file form) starts the real codexd supervisor for a temp
// CODEX_HOME, prints nothing, and is no job of the shell. zsh and fish are skipped when absent.
import assert from 'node:assert/strict'
import {mkdirSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {quoteWord} from '../src/client/shell-init/quote.js'
import {tempHome, type TempHome} from '../src/ground/harness/home.js'
import {findExecutable, NO_TERMINAL, runInteractive, runOnTerminal, userEnv, writeProfile, type ShellName} from './support/interactive-shell.js'
import {CODEXD_BIN, runCodexd, trackPid, waitFor} from '../src/ground/harness/processes.js'

const MARK: Record<ShellName, string> = {bash: 'echo "mark-$((6*7))"', zsh: 'echo "mark-$((6*7))"', fish: "echo mark-(math 6 '*' 7)"}

/** The eval form a user puts in the profile (with codexd's absolute path instead of a PATH lookup). */
function evalLine(shell: ShellName): string {
  const codexd = `${quoteWord(shell, process.execPath)} ${quoteWord(shell, CODEXD_BIN)}`
  return shell === 'fish' ? `${codexd} shell-init fish | source` : `eval "$(${codexd} shell-init ${shell})"`
}

for (const shell of ['bash', 'zsh', 'fish'] as const) {
  describe(`codexd shell-init ${shell}: autostart end to end`, {skip: findExecutable(shell) ? false : `${shell} is not installed (apt-get install ${shell}) - skipping`}, () => {
    const homes: TempHome[] = []
    let counter = 0

    /** A fresh CODEX_HOME and user home whose profile is `body`. */
    function fresh(body: (env: NodeJS.ProcessEnv) => string, extra: NodeJS.ProcessEnv = {}): {home: TempHome; env: NodeJS.ProcessEnv} {
      const home = tempHome(`codexd-si-${shell}-`)
      homes.push(home)
      const userHome = join(home.home, `user-${++counter}`)
      mkdirSync(userHome)
      const base = userEnv(home.env, userHome)
      delete base.CODEXD_NO_AUTOSTART
      const env = {...base, CODEXD_SERVER: 'builtin', ...extra}
      writeProfile(shell, userHome, body(env))
      return {home, env}
    }

    /** Waits for `codexd status` to say running, tracks the daemon's pids, returns the report. */
    async function waitUntilRunning(env: NodeJS.ProcessEnv): Promise<any> {
      const report = await waitFor(async () => {
        const status = await runCodexd(['status', '--json'], env)
        return status.code === 0 ? JSON.parse(status.stdout) : undefined
      }, {timeoutMs: 90_000, intervalMs: 250, what: '`codexd status` to exit 0'})
      trackPid(report.supervisor.pid)
      return report
    }

    after(async () => {
      for (const home of homes) {
        await runCodexd(['stop'], home.env)
        home.remove()
      }
    })

    it('eval form: an interactive shell starts the supervisor for its CODEX_HOME and prints nothing', async () => {
      const plain = fresh(() => '')
      const expected = await runInteractive(shell, MARK[shell], plain.env)
      const {home, env} = fresh(() => evalLine(shell))
      const run = await runInteractive(shell, MARK[shell], env)
      assert.equal(run.code, 0, run.stderr)
      assert.equal(run.stdout, 'mark-42\n')
      assert.equal(run.stderr, expected.stderr)
      const report = await waitUntilRunning(env)
      assert.equal(report.home, home.home)
      assert.equal(report.child.state, 'running')
      const stop = await runCodexd(['stop'], env)
      assert.equal(stop.code, 0, stop.stderr)
      assert.equal((await runCodexd(['status'], env)).code, 3)
    })

    it('--write file form on a terminal: starts it even when the shell exits at once, no job notice', {skip: NO_TERMINAL}, async () => {
      const {env} = fresh(() => '')
      // Run the real `shell-init --write` as this user and add the line it prints to the profile.
      const written = await runCodexd(['shell-init', shell, '--write'], env)
      assert.equal(written.code, 0, written.stderr)
      const sourceLine = written.stdout.split('\n').find((line) => line.startsWith('  '))!.trim()
      writeProfile(shell, env.HOME!, sourceLine)
      const run = await runOnTerminal(shell, ['jobs', MARK[shell]], env)
      assert.equal(run.code, 0, run.transcript)
      assert.match(run.transcript, /mark-42/)
      assert.doesNotMatch(run.transcript, /\[\d+\]|\b(Running|running|Done|done|has ended)\b|Job\s+Group|rror|not found|No such/, run.transcript)
      const report = await waitUntilRunning(env)
      assert.equal(report.child.state, 'running')
      assert.equal((await runCodexd(['stop'], env)).code, 0)
    })

    it('CODEXD_NO_AUTOSTART=1: nothing is started', async () => {
      const {env} = fresh(() => evalLine(shell), {CODEXD_NO_AUTOSTART: '1'})
      // fd 3 fence: resolves only when the shell and anything it launched that kept fd 3 exited;
      // a launched `codexd start` would hold it until the supervisor is up (or forever).
      const run = await runInteractive(shell, MARK[shell], env, {fence: true})
      assert.equal(run.code, 0)
      assert.equal(run.stdout, 'mark-42\n')
      const status = await runCodexd(['status'], env)
      assert.equal(status.code, 3, status.stdout)
    })
  })
}
