import {mkdirSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {findOnPath} from '../../src/ground/children/find-on-path.js'
import {finished, spawnTracked, type Finished} from '../../src/ground/harness/processes.js'

/** The shells shell-init supports. */
export type ShellName = 'bash' | 'zsh' | 'fish'

/** The absolute path of the executable `name` on PATH, or undefined when it is not installed. */
export const findExecutable = (name: string, path?: string): string | undefined => findOnPath(name, path === undefined ? process.env : {PATH: path})

/** Skip reason for tests that need a pseudo-terminal (util-linux `script`), or false. */
export const NO_TERMINAL: string | false = findExecutable('script') ? false : 'util-linux script(1) is not installed: no pseudo-terminal, terminal tests skipped'

/** A fixed, plain prompt per shell, so transcripts are readable and comparable. */
const PROMPT_SETUP: Record<ShellName, string> = {
  bash: "PS1='PROMPT> '",
  zsh: "PROMPT='PROMPT> '; unsetopt PROMPT_SP",
  fish: "function fish_prompt; echo -n 'PROMPT> '; end; function fish_title; end; set -g fish_greeting ''",
}

/** The profile an interactive shell reads under `userHome` (HOME, XDG_CONFIG_HOME=HOME/.config). */
export function profilePath(shell: ShellName, userHome: string): string {
  if (shell === 'bash') return join(userHome, '.bashrc')
  if (shell === 'zsh') return join(userHome, '.zshrc')
  return join(userHome, '.config', 'fish', 'config.fish')
}

/** Writes the profile of `shell` in `userHome`: a plain prompt, then `body` (the lines under test). */
export function writeProfile(shell: ShellName, userHome: string, body: string): void {
  const path = profilePath(shell, userHome)
  mkdirSync(dirname(path), {recursive: true})
  writeFileSync(path, `${PROMPT_SETUP[shell]}\n${body}\n`)
  // An interactive fish whose data dir lacks generated_completions starts fish_update_completions
  // in the background and disowns it: a process the test did not start, still writing into the
  // home while it is removed (ENOTEMPTY). The directory being there tells fish not to.
  if (shell === 'fish') mkdirSync(join(userHome, '.local', 'share', 'fish', 'generated_completions'), {recursive: true})
}

/** The environment of a user whose home is `userHome` (profile, XDG config and data there). */
export function userEnv(base: NodeJS.ProcessEnv, userHome: string): NodeJS.ProcessEnv {
  return {...base, HOME: userHome, XDG_CONFIG_HOME: join(userHome, '.config'), XDG_DATA_HOME: join(userHome, '.local', 'share'), ZDOTDIR: userHome, TERM: 'dumb'}
}

/**
 * Runs `<shell> -i -c COMMAND` (interactive, so the profile is read, no terminal). The shell
 * gets an extra pipe at fd 3 that the snippet does not redirect, so this resolves only once
 * the shell AND everything it launched that kept fd 3 has exited: a fence for "did the
 * snippet launch anything". Do not use it when the launched program starts a daemon.
 */
export async function runInteractive(shell: ShellName, command: string, env: NodeJS.ProcessEnv, {fence = false} = {}): Promise<Finished> {
  const child = spawnTracked(findExecutable(shell, env.PATH) ?? shell, ['-i', '-c', command], {env, stdio: ['ignore', 'pipe', 'pipe', ...(fence ? ['pipe' as const] : [])]})
  return finished(child)
}

/** Strips terminal escape sequences and carriage returns from a pty transcript. */
export function plainTranscript(raw: string): string {
  // eslint-disable-next-line no-control-regex
  return raw.replace(/\x1b\][^\x07\x1b]*(\x07|\x1b\\)/g, '').replace(/\x1b[[(][0-9;?]*[a-zA-Z@]?/g, '').replace(/\x1b[=>]/g, '').replace(/\r/g, '')
}

/**
 * Runs an interactive `shell` on a real pseudo-terminal (util-linux `script`), so job control
 * is on as in a terminal: types `lines`, awaits `beforeExit` (the shell still running), types
 * `exit`, and returns the exit status and the plain transcript.
 */
export async function runOnTerminal(shell: ShellName, lines: readonly string[], env: NodeJS.ProcessEnv, beforeExit: () => Promise<unknown> = async () => {}): Promise<Finished & {transcript: string}> {
  const shellPath = findExecutable(shell, env.PATH) ?? shell
  const child = spawnTracked('script', ['-qec', `${shellPath} -i`, '/dev/null'], {env, stdio: ['pipe', 'pipe', 'pipe']})
  const done = finished(child)
  child.stdin!.write(lines.map((line) => `${line}\n`).join(''))
  try {
    await beforeExit()
  } finally {
    child.stdin!.end('exit\n')
  }
  const result = await done
  return {...result, transcript: plainTranscript(result.stdout)}
}
