import {execFile} from 'node:child_process'
import {readdirSync} from 'node:fs'
import {userInfo} from 'node:os'
import {join} from 'node:path'
import {isGeneratedByCodexd, readIfExists} from '../install/generated-file.js'
import {xdgConfigHome} from '../install/user-dirs.js'
import {ok, warn, type DoctorCheck, type DoctorContext} from './types.js'

/** The codexd systemd user units installed for this user (generated files named codexd*.service). */
function installedUnits(env: NodeJS.ProcessEnv): string[] {
  const dir = join(xdgConfigHome(env), 'systemd', 'user')
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch {
    return []
  }
  return names.filter((name) => /^codexd.*\.service$/.test(name) && isGeneratedByCodexd(readIfExists(join(dir, name)) ?? '')).map((name) => join(dir, name))
}

function loginctlLinger(user: string, env: NodeJS.ProcessEnv): Promise<{linger: string} | {error: string}> {
  return new Promise((resolve) => {
    execFile('loginctl', ['show-user', user, '-p', 'Linger'], {env, timeout: 10_000, encoding: 'utf8'}, (error, stdout, stderr) => {
      const value = /^Linger=(\w+)/m.exec(stdout)?.[1]
      if (value) resolve({linger: value})
      else resolve({error: String(stderr || error?.message || `it printed '${stdout.trim()}'`).trim().split('\n')[0]})
    })
  })
}

/**
 * With a codexd systemd user unit installed: whether lingering is on. Without it systemd stops
 * the user's services, codexd too, when the user's last session ends (logout, ssh disconnect).
 */
export async function checkLinger(context: DoctorContext): Promise<DoctorCheck> {
  const id = 'systemd-linger'
  const units = installedUnits(context.env)
  if (units.length === 0) return ok(id, 'no codexd systemd user unit is installed')
  const user = context.env.USER || userInfo().username
  const enable = `loginctl enable-linger ${user}`
  const answer = await loginctlLinger(user, context.env)
  if ('error' in answer) return warn(id, `${units.join(', ')} installed, but \`loginctl show-user ${user} -p Linger\` failed: ${answer.error}`, `make sure lingering is on, or the service stops at logout: ${enable}`)
  if (answer.linger !== 'yes') return warn(id, `${units.join(', ')} installed, but lingering is off for ${user} (Linger=${answer.linger}): systemd stops the service when your last session ends`, enable)
  return ok(id, `${units.join(', ')} installed and lingering is on for ${user}: the service outlives your sessions`)
}
