import {homedir} from 'node:os'
import {isAbsolute, join} from 'node:path'

/** The user's home directory: `$HOME` when set (so tests can point it at a temp dir), else the OS's. */
export function userHome(env: NodeJS.ProcessEnv = process.env): string {
  const home = env.HOME
  return home && isAbsolute(home) ? home : homedir()
}

/** `$XDG_CONFIG_HOME` when it is an absolute path (the spec ignores relative ones), else `~/.config`. */
export function xdgConfigHome(env: NodeJS.ProcessEnv = process.env): string {
  const config = env.XDG_CONFIG_HOME
  return config && isAbsolute(config) ? config : join(userHome(env), '.config')
}

/** `~/.config/codexd`: codexd's per-user configuration (generated shell init files). */
export function codexdConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(xdgConfigHome(env), 'codexd')
}
