import {accessSync, constants, statSync} from 'node:fs'
import {isAbsolute, join} from 'node:path'
import {CODEXD_VERSION} from '../../ground/product.js'
import {GENERATED_MARKER, isGeneratedByCodexd, readIfExists, writeGeneratedFile, type WriteOutcome} from './generated-file.js'
import type {Launcher} from './launcher.js'
import {shQuote} from './sh-quote.js'
import {userHome} from './user-dirs.js'

/** The launcher's exit code when its baked-in node or codexd is gone: 127, as a shell reports a missing command. */
export const LAUNCHER_BROKEN_EXIT = 127

/** `$XDG_DATA_HOME` when it is an absolute path (the spec ignores relative ones), else `~/.local/share`. */
export function xdgDataHome(env: NodeJS.ProcessEnv = process.env): string {
  const data = env.XDG_DATA_HOME
  return data && isAbsolute(data) ? data : join(userHome(env), '.local', 'share')
}

/**
 * Where `codexd launcher --write` puts the launcher: `$XDG_DATA_HOME/codexd/bin/codexd`
 * (`~/.local/share/codexd/bin/codexd`). A stable absolute path to name in a remote command.
 */
export function launcherScriptPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(xdgDataHome(env), 'codexd', 'bin', 'codexd')
}

/**
 * The launcher: a /bin/sh script that execs this node with codexd's bin/run.cjs, both absolute,
 * so it needs nothing from PATH (a non-interactive `ssh host CMD` often lacks nvm's, fnm's, volta's
 * or asdf's node). When either path is gone it says so on stderr and exits 127.
 */
export function renderLauncherScript(launcher: Launcher): string {
  return `#!/bin/sh
# ${GENERATED_MARKER}: codexd ${CODEXD_VERSION} launcher. Regenerate with \`codexd launcher --write\`.
# Runs codexd with an absolute node, so a login without node on its PATH (ssh host CMD) can run it.
node=${shQuote(launcher.node)}
entry=${shQuote(launcher.entry)}
if [ -x "$node" ] && [ -f "$entry" ]; then
  exec "$node" "$entry" "$@"
fi
echo "codexd launcher: $node or $entry is gone (node or codexd moved or upgraded): run \\\`codexd launcher --write\\\` again with the node and codexd you use" >&2
exit ${LAUNCHER_BROKEN_EXIT}
`
}

/** Writes the launcher (mode 0755; idempotent; refuses a file codexd did not write, exit 7). */
export function writeLauncherScript(launcher: Launcher, env: NodeJS.ProcessEnv = process.env): {path: string; outcome: WriteOutcome} {
  const path = launcherScriptPath(env)
  return {path, outcome: writeGeneratedFile(path, renderLauncherScript(launcher), 0o755)}
}

/** How the launcher on disk compares with the one this codexd would write now. */
export type LauncherState =
  | {readonly state: 'missing' | 'foreign' | 'not-executable' | 'current'; readonly path: string}
  | {readonly state: 'stale' | 'broken'; readonly path: string; readonly node: string | undefined; readonly entry: string | undefined}

/** The single-quoted value of `name=` in a launcher script (as renderLauncherScript writes it). */
function bakedValue(script: string, name: string): string | undefined {
  const match = new RegExp(`^${name}='((?:[^']|'\\\\'')*)'$`, 'm').exec(script)
  return match?.[1].replace(/'\\''/g, `'`)
}

function usable(path: string | undefined, executable: boolean): boolean {
  if (!path) return false
  try {
    if (!statSync(path).isFile()) return false
    if (executable) accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/**
 * Reads the launcher at its path: `current` when it is exactly what `launcher --write` would
 * write now, `stale` when it differs but its node and codexd still exist, `broken` when one of
 * them is gone (it would exit 127).
 */
export function readLauncherState(launcher: Launcher, env: NodeJS.ProcessEnv = process.env): LauncherState {
  const path = launcherScriptPath(env)
  const script = readIfExists(path)
  if (script === undefined) return {state: 'missing', path}
  if (!isGeneratedByCodexd(script)) return {state: 'foreign', path}
  if (!usable(path, true)) return {state: 'not-executable', path}
  if (script === renderLauncherScript(launcher)) return {state: 'current', path}
  const node = bakedValue(script, 'node')
  const entry = bakedValue(script, 'entry')
  return {state: usable(node, true) && usable(entry, false) ? 'stale' : 'broken', path, node, entry}
}
