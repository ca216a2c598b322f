import {currentLauncher} from '../install/launcher.js'
import {remoteProxyCommand} from '../install/remote-command.js'
import {readLauncherState, type LauncherState} from '../install/ssh-launcher.js'
import {fail, ok, warn, type DoctorCheck, type DoctorContext} from './types.js'

const WRITE = 'run `codexd launcher --write`'

/** The launcher's state, for this check and the login-path check. */
export function launcherState(context: DoctorContext): LauncherState {
  return readLauncherState(currentLauncher(), context.env)
}

/** The launcher (`codexd launcher --write`) exists, is executable, and bakes in this node and codexd. */
export function checkLauncher(context: DoctorContext): DoctorCheck {
  const id = 'launcher'
  const launcher = launcherState(context)
  const {path} = launcher
  switch (launcher.state) {
    case 'missing':
      return warn(id, `no launcher at ${path}: a remote \`ssh host codexd ...\` needs node and codexd on the login's PATH`, `${WRITE}, then use \`${remoteProxyCommand(path)}\` as the remote command`)
    case 'foreign':
      return warn(id, `${path} exists and was not written by codexd`, `move it aside and ${WRITE}`)
    case 'not-executable':
      return fail(id, `${path} is not executable: the remote command fails`, `chmod 755 ${path}`)
    case 'broken':
      return fail(id, `${path} runs node ${launcher.node ?? '?'} and codexd ${launcher.entry ?? '?'}, and one of them is gone: it exits 127`, WRITE)
    case 'stale':
      return warn(id, `${path} runs node ${launcher.node} and codexd ${launcher.entry}, not this node and codexd (${process.execPath})`, `${WRITE} with the node and codexd you mean to use`)
    case 'current':
      return ok(id, `${path} runs this node (${process.execPath}) and codexd: remote command \`${remoteProxyCommand(path)}\``)
  }
}
