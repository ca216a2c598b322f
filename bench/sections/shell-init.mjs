/**
 * Row 2: interactive shell startup (`bash -ic exit`) with the shell-init snippet vs without, in
 * both documented forms: a profile that sources the file written by `codexd shell-init bash
 * --write`, and one that runs `eval "$(codexd shell-init bash)"`. The supervisor is running, so
 * the snippet's background `codexd start` is the already-running path.
 *
 * Timed: spawn of bash to its exit (what the user waits for). The shell also gets a pipe at fd 3
 * that the snippet does not redirect: it closes only when everything bash launched has exited,
 * and the next run waits for that, so a background `codexd start` never overlaps a timed run.
 */
import {once} from 'node:events'
import {mkdirSync, mkdtempSync, symlinkSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {startSupervisor, tempHome} from '../lib/homes.mjs'
import {CODEXD_BIN, runCodexd, spawnTracked} from '../lib/procs.mjs'
import {fmt, median, msSince} from '../lib/stats.mjs'

const GOAL_MS = 5

export async function shellInit({log, runs}) {
  const home = tempHome('codexd-bench-shell-')
  await startSupervisor(home)
  // `codexd` on PATH as npm installs it: a link to bin/run.cjs (found through PATH, run by env node).
  const binDir = join(home.home, 'bin')
  mkdirSync(binDir)
  symlinkSync(CODEXD_BIN, join(binDir, 'codexd'))
  const env = {...home.env, PATH: `${binDir}:${home.env.PATH}`, TERM: 'dumb'}

  const profiles = {
    without: '# no codexd\n',
    sourced: `${await sourceLine(env, home.home)}\n`,
    eval: 'eval "$(codexd shell-init bash)"\n',
  }
  const users = Object.fromEntries(Object.entries(profiles).map(([name, body]) => [name, userHome(home.home, name, body)]))
  log(`shell-init: ${runs} runs each of bash -ic exit without the snippet, with the sourced init file, with eval`)
  const times = {without: [], sourced: [], eval: []}
  for (let i = -2; i < runs; i++) {
    for (const name of Object.keys(times)) {
      const ms = await interactiveExit({...env, HOME: users[name], XDG_CONFIG_HOME: join(users[name], '.config')})
      if (i >= 0) times[name].push(ms)
    }
  }
  const base = median(times.without)
  return ['sourced', 'eval'].map((name) => {
    const value = median(times[name])
    const added = value - base
    const form = name === 'sourced' ? 'sourced init file (--write)' : 'eval "$(codexd shell-init bash)"'
    return {what: `bash -ic exit with snippet: ${form}, median of ${runs}`, codexd: `${fmt(value, 'ms')} (+${fmt(added, 'ms')})`, baseline: `${fmt(base, 'ms')} without`, ratio: value / base, goal: `< +${GOAL_MS} ms`, met: added < GOAL_MS}
  })
}

/** Writes the init file with `codexd shell-init bash --write` and returns the line it says to add. */
async function sourceLine(env, root) {
  const configHome = mkdtempSync(join(root, 'writer-'))
  const result = await runCodexd(['shell-init', 'bash', '--write'], {...env, HOME: configHome, XDG_CONFIG_HOME: join(configHome, '.config')})
  const line = /add this line to .*:\n\s+(.+)\n/.exec(result.stdout)?.[1]
  if (result.code !== 0 || !line) throw new Error(`codexd shell-init bash --write failed (exit ${result.code}): ${result.stderr.trim() || result.stdout.trim()}`)
  // Every user home below sources the same file: the path in the line is absolute.
  return line
}

function userHome(root, name, bashrc) {
  const dir = join(root, `user-${name}`)
  mkdirSync(join(dir, '.config'), {recursive: true})
  writeFileSync(join(dir, '.bashrc'), bashrc)
  return dir
}

/** Milliseconds from spawning `bash -ic exit` to its exit; returns once all it launched has exited. */
async function interactiveExit(env) {
  const start = process.hrtime.bigint()
  const bash = spawnTracked('bash', ['-ic', 'exit'], {env, stdio: ['ignore', 'ignore', 'ignore', 'pipe']})
  const fence = once(bash.stdio[3], 'close')
  bash.stdio[3].resume()
  await once(bash, 'exit')
  const ms = msSince(start)
  await Promise.race([fence, new Promise((resolve) => setTimeout(resolve, 10_000))])
  return ms
}
