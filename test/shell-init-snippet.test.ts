// Runs the generated snippet text in real bash, zsh and fish (each skipped when not installed)
// with a stub in place of codexd's entry point: the stub records each launch in a file. The
// shells run with an extra pipe at fd 3 (see runInteractive) so "the shell and everything it
// launched has exited" is a real condition, and "nothing was launched" needs no sleep.
import assert from 'node:assert/strict'
import {mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {tempHome, type TempHome} from '../src/ground/harness/home.js'
import {findExecutable, NO_TERMINAL, runInteractive, runOnTerminal, userEnv, writeProfile, type ShellName} from './support/interactive-shell.js'
import {finished, spawnTracked, waitFor} from '../src/ground/harness/processes.js'
import type {Launcher} from '../src/client/install/launcher.js'
import {quoteWord} from '../src/client/shell-init/quote.js'
import {renderSnippet} from '../src/client/shell-init/snippet.js'

interface Launch {
  argv: string[]
  codexHome: string | undefined
  stdio: string[]
  /** Process group and session at startup (/proc/self/stat fields 5 and 6). */
  pgrp: number
  sid: number
}

/** A stub entry point that records its argv, CODEX_HOME and where its stdio points. */
const STUB = `const fs = require('node:fs')
const stdio = [0, 1, 2].map((fd) => { try { return fs.readlinkSync('/proc/self/fd/' + fd) } catch { return '?' } })
const stat = fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ')
fs.writeFileSync(process.env.STUB_DIR + '/launch-' + process.pid + '.json', JSON.stringify({argv: process.argv.slice(2), codexHome: process.env.CODEX_HOME, stdio, pgrp: Number(stat[2]), sid: Number(stat[3])}))
setTimeout(() => {}, Number(process.env.STUB_LINGER_MS ?? 0))
`

/** The command each shell runs to show it is alive and evaluating: prints `mark-42`. */
const MARK: Record<ShellName, string> = {bash: 'echo "mark-$((6*7))"', zsh: 'echo "mark-$((6*7))"', fish: "echo mark-(math 6 '*' 7)"}
/** Prints the shell's own pid (the process group leader and session leader on the pty). */
const SHELL_PID: Record<ShellName, string> = {bash: 'echo "shell-pid=$$"', zsh: 'echo "shell-pid=$$"', fish: 'echo "shell-pid=$fish_pid"'}
const SOURCE: Record<ShellName, (file: string) => string> = {bash: (f) => `. ${quoteWord('bash', f)}`, zsh: (f) => `. ${quoteWord('zsh', f)}`, fish: (f) => `source ${quoteWord('fish', f)}`}

for (const shell of ['bash', 'zsh', 'fish'] as const) {
  const installed = findExecutable(shell)
  describe(`shell-init snippet in ${shell}`, {skip: installed ? false : `${shell} is not installed (apt-get install ${shell}) - skipping its snippet tests`}, () => {
    let home: TempHome
    let stubDir: string
    let launcher: Launcher
    let baseEnv: NodeJS.ProcessEnv
    let counter = 0

    before(() => {
      home = tempHome('codexd-snippet-')
      // A quote and a space in the path: the snippet must quote what it embeds.
      stubDir = join(home.home, "stub dir's")
      mkdirSync(stubDir)
      writeFileSync(join(stubDir, 'run.js'), STUB)
      launcher = {node: process.execPath, entry: join(stubDir, 'run.js')}
      baseEnv = {...home.env, STUB_DIR: stubDir}
      delete baseEnv.CODEXD_NO_AUTOSTART
    })
    after(() => home.remove())

    /** A fresh user home whose profile holds `body`; returns the env of that user. */
    function user(body: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
      const userHome = join(home.home, `user-${++counter}`)
      mkdirSync(userHome)
      writeProfile(shell, userHome, body)
      return {...userEnv(baseEnv, userHome), ...extra}
    }

    function snippetFile(l: Launcher = launcher): string {
      const file = join(home.home, `snippet-${++counter}.${shell}`)
      writeFileSync(file, renderSnippet(shell, l))
      return file
    }

    function takeLaunches(): Launch[] {
      const files = readdirSync(stubDir).filter((f) => f.startsWith('launch-'))
      const launches = files.map((f) => JSON.parse(readFileSync(join(stubDir, f), 'utf8')) as Launch)
      for (const f of files) rmSync(join(stubDir, f))
      return launches
    }

    /** Waits for the launch record of a stub that outlives the shell (no fence on a terminal). */
    async function waitForLaunch(): Promise<Launch[]> {
      let launches: Launch[] = []
      await waitFor(() => (launches = takeLaunches()).length > 0, {what: 'the stub launch record', timeoutMs: 30_000})
      return launches
    }

    /** Output of an interactive shell whose profile is only the prompt: what "nothing printed" means. */
    async function baseline(): Promise<{stdout: string; stderr: string}> {
      const run = await runInteractive(shell, MARK[shell], user(''), {fence: true})
      return {stdout: run.stdout, stderr: run.stderr}
    }

    it('an interactive shell launches `<entry> start` once, with CODEX_HOME, stdio on /dev/null, printing nothing', async () => {
      const expected = await baseline()
      const run = await runInteractive(shell, MARK[shell], user(SOURCE[shell](snippetFile())), {fence: true})
      assert.equal(run.code, 0, run.stderr)
      assert.equal(run.stdout, expected.stdout)
      assert.equal(run.stdout, 'mark-42\n')
      assert.equal(run.stderr, expected.stderr)
      const launches = takeLaunches()
      assert.equal(launches.length, 1, 'exactly one launch')
      assert.deepEqual(launches[0].argv, ['start'])
      assert.equal(launches[0].codexHome, home.home)
      assert.deepEqual(launches[0].stdio, ['/dev/null', '/dev/null', '/dev/null'])
    })

    it('a non-interactive shell that sources it launches nothing', async () => {
      const file = snippetFile()
      const child = spawnTracked(installed!, ['-c', `${SOURCE[shell](file)}; ${MARK[shell]}`], {env: user(''), stdio: ['ignore', 'pipe', 'pipe', 'pipe']})
      const run = await finished(child)
      assert.equal(run.code, 0, run.stderr)
      assert.equal(run.stdout, 'mark-42\n')
      assert.equal(run.stderr, '')
      assert.deepEqual(takeLaunches(), [])
    })

    for (const value of ['1', 'yes']) {
      it(`CODEXD_NO_AUTOSTART=${value} launches nothing and prints nothing`, async () => {
        const expected = await baseline()
        const run = await runInteractive(shell, MARK[shell], user(SOURCE[shell](snippetFile()), {CODEXD_NO_AUTOSTART: value}), {fence: true})
        assert.equal(run.code, 0)
        assert.equal(run.stdout, 'mark-42\n')
        assert.equal(run.stderr, expected.stderr)
        assert.deepEqual(takeLaunches(), [])
      })
    }

    for (const value of ['0', '']) {
      it(`CODEXD_NO_AUTOSTART=${JSON.stringify(value)} still autostarts`, async () => {
        const run = await runInteractive(shell, MARK[shell], user(SOURCE[shell](snippetFile()), {CODEXD_NO_AUTOSTART: value}), {fence: true})
        assert.equal(run.code, 0)
        assert.equal(takeLaunches().length, 1)
      })
    }

    it('CODEX_HOME naming a missing directory: nothing launched, nothing printed, exit 0', async () => {
      const expected = await baseline()
      const run = await runInteractive(shell, MARK[shell], user(SOURCE[shell](snippetFile()), {CODEX_HOME: join(home.home, 'missing')}), {fence: true})
      assert.equal(run.code, 0)
      assert.equal(run.stdout, 'mark-42\n')
      assert.equal(run.stderr, expected.stderr)
      assert.deepEqual(takeLaunches(), [])
    })

    it('embedded node or entry gone: falls back to `codexd` on PATH', async () => {
      const bin = join(home.home, `bin-${++counter}`)
      mkdirSync(bin)
      writeFileSync(join(bin, 'codexd'), `#!/bin/sh\nexec ${quoteWord('bash', process.execPath)} ${quoteWord('bash', launcher.entry)} "$@"\n`, {mode: 0o755})
      const gone = snippetFile({node: join(home.home, 'no-node'), entry: launcher.entry})
      const env = user(SOURCE[shell](gone), {PATH: `${bin}:${process.env.PATH}`})
      const run = await runInteractive(shell, MARK[shell], env, {fence: true})
      assert.equal(run.code, 0, run.stderr)
      const launches = takeLaunches()
      assert.equal(launches.length, 1)
      assert.deepEqual(launches[0].argv, ['start'])
    })

    it('node, entry and codexd all missing: the shell works, prints nothing, exits 0', async () => {
      const expected = await baseline()
      const gone = snippetFile({node: join(home.home, 'no-node'), entry: join(home.home, 'no-run.js')})
      const run = await runInteractive(shell, MARK[shell], user(SOURCE[shell](gone), {PATH: '/usr/bin:/bin'}), {fence: true})
      assert.equal(run.code, 0)
      assert.equal(run.stdout, 'mark-42\n')
      assert.equal(run.stderr, expected.stderr)
      assert.deepEqual(takeLaunches(), [])
    })

    /** Types `jobs` and the pid/mark lines into the shell on a pty, exiting only once the launch recorded itself. */
    async function onTerminal(profile: string): Promise<{transcript: string; code: number | null; launches: Launch[]}> {
      let launches: Launch[] = []
      const run = await runOnTerminal(shell, ['jobs', SHELL_PID[shell], MARK[shell]], user(profile, {STUB_LINGER_MS: '3000'}), () =>
        waitFor(() => (launches = takeLaunches()).length > 0, {what: 'the stub launch record', timeoutMs: 30_000}))
      return {transcript: run.transcript, code: run.code, launches}
    }

    it('on a terminal: the launch is no job of the shell and not in its process group; the prompt keeps working', {skip: NO_TERMINAL}, async () => {
      const run = await onTerminal(SOURCE[shell](snippetFile()))
      assert.equal(run.code, 0, run.transcript)
      assert.match(run.transcript, /mark-42/)
      assert.deepEqual(terminalProblems(run.transcript, run.launches), [], run.transcript)
    })

    it('control: a plain `&` launch from the profile is caught by the same checks', {skip: NO_TERMINAL}, async () => {
      const run = await onTerminal(`${quoteWord(shell, process.execPath)} ${quoteWord(shell, launcher.entry)} start </dev/null >/dev/null 2>&1 &`)
      assert.notDeepEqual(terminalProblems(run.transcript, run.launches), [], run.transcript)
    })
  })
}

/**
 * What is wrong with a launch from a profile on a terminal: a job notice (`[1] 1234`, `[1]+
 * Running`, fish's job table), or the launch sharing the shell's process group (the terminal's
 * foreground group: Ctrl-C at the prompt and the hangup at exit would kill it).
 */
function terminalProblems(transcript: string, launches: readonly Launch[]): string[] {
  const problems: string[] = []
  if (/\[\d+\]/.test(transcript)) problems.push('a job number was printed')
  if (/\b(Running|running|Done|done|has ended)\b/.test(transcript)) problems.push('a job state was printed')
  if (/Job\s+Group/.test(transcript)) problems.push('fish listed a job')
  const shellPid = Number(/shell-pid=(\d+)/.exec(transcript)?.[1])
  if (!shellPid) problems.push('the shell did not print its pid')
  if (launches.length !== 1) problems.push(`${launches.length} launches`)
  if (launches.some((l) => l.pgrp === shellPid)) problems.push("the launch runs in the shell's process group")
  return problems
}
