import {execFile} from 'node:child_process'
import {userInfo} from 'node:os'
import {remoteProxyCommand} from '../install/remote-command.js'
import {launcherState} from './launcher-check.js'
import {ok, warn, type DoctorCheck, type DoctorContext} from './types.js'

/** Overrides the PATH a non-interactive ssh login starts with, for an sshd that sets another. */
export const LOGIN_PATH_ENV = 'CODEXD_LOGIN_PATH'

/** The PATH OpenSSH's sshd gives a session (Debian's build: root gets the sbin directories too). */
export function sshdDefaultPath(uid: number): string {
  return uid === 0 ? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' : '/usr/local/bin:/usr/bin:/bin:/usr/games'
}

/** Printed by the probe command for a name it does not find. */
const NOT_FOUND = '-'

/**
 * Runs `command -v node` and `command -v codexd` the way sshd runs a remote command: the user's
 * login shell from the password database, `-c`, with the environment sshd sets (so bash reads
 * ~/.bashrc as it does for ssh, and nothing from this terminal leaks in).
 */
function probeLogin(context: DoctorContext): Promise<{node?: string; codexd?: string; shell: string; path: string} | {error: string; shell: string}> {
  const user = userInfo()
  const shell = user.shell || '/bin/sh'
  const path = context.env[LOGIN_PATH_ENV] || sshdDefaultPath(context.uid)
  const env: NodeJS.ProcessEnv = {HOME: user.homedir, USER: user.username, LOGNAME: user.username, SHELL: shell, PATH: path, SSH_CLIENT: '127.0.0.1 22 22', SSH_CONNECTION: '127.0.0.1 22 127.0.0.1 22'}
  const script = `command -v node || echo ${NOT_FOUND}; command -v codexd || echo ${NOT_FOUND}`
  return new Promise((resolve) => {
    execFile(shell, ['-c', script], {env, cwd: user.homedir, timeout: 15_000, encoding: 'utf8'}, (error, stdout) => {
      const lines = stdout.trim().split('\n')
      if (lines.length < 2) return resolve({error: error?.message.split('\n')[0] ?? `it printed '${stdout.trim()}'`, shell})
      const [node, codexd] = lines.slice(-2).map((line) => (line.trim() === NOT_FOUND ? undefined : line.trim()))
      resolve({node, codexd, shell, path})
    })
  })
}

/**
 * Whether `ssh host codexd proxy --autostart` would run: a non-interactive login must find node
 * and codexd on its PATH, or the launcher (with node baked in) must be current.
 */
export async function checkLoginPath(context: DoctorContext): Promise<DoctorCheck> {
  const id = 'login-path'
  const probe = await probeLogin(context)
  const launcher = launcherState(context)
  const useLauncher = `use \`${remoteProxyCommand(launcher.path)}\` as the remote command`
  if ('error' in probe) return warn(id, `could not run your login shell ${probe.shell} as ssh would: ${probe.error}`, `run \`codexd launcher --write\` and ${useLauncher}`)
  const missing = [probe.node ? undefined : 'node', probe.codexd ? undefined : 'codexd'].filter(Boolean).join(' and ')
  if (!missing) return ok(id, `a non-interactive login (${probe.shell}, PATH=${probe.path}) finds node at ${probe.node} and codexd at ${probe.codexd}`)
  const lacks = `a non-interactive login (ssh host CMD: ${probe.shell} -c, PATH=${probe.path}) finds no ${missing}`
  if (launcher.state === 'current') return ok(id, `${lacks}, but the launcher ${launcher.path} needs no PATH: ${useLauncher}`)
  return warn(id, `${lacks}: \`ssh host codexd proxy --autostart\` fails before codexd runs`, `run \`codexd launcher --write\`, then ${useLauncher}`)
}
