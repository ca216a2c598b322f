import type {HomePaths} from '../home/codex-home.js'
import type {ListenerOwner} from './listener-owner.js'

/** The owner in one phrase: what it is, its pid and version. */
export function describeOwner(owner: ListenerOwner): string {
  const pid = owner.pid === null ? 'pid not visible' : `pid ${owner.pid}`
  const version = owner.version ? ` ${owner.version}` : ''
  switch (owner.kind) {
    case 'codexd':
      return `codexd's app-server${version} (${pid})`
    case 'codex-daemon':
      return `codex's managed daemon${version} (${pid}${owner.updaterPid === null ? '' : `, updater pid ${owner.updaterPid}`}; started by ${owner.startedBy})`
    case 'codex-by-hand':
      return `a codex app-server${version} started by hand (${pid})`
    case 'codexd-orphan':
      return `a codexd app-server${version} orphaned by its supervisor (${pid}; ${owner.startedBy})`
    case 'codexd-other':
      return `a codexd app-server started by hand (${pid})`
    case 'unknown':
      return `a process codexd cannot identify (${pid}${owner.command ? `: ${owner.command}` : ''})`
  }
}

/** Exactly what to run to put the home under codexd, for this owner. */
export function ownerAdvice(owner: ListenerOwner, paths: HomePaths): string {
  switch (owner.kind) {
    case 'codexd':
      return ''
    case 'codex-daemon':
      return `run codexd start --takeover (it stops codex's daemon with codex app-server daemon stop and ends its updater); or keep codex's daemon and leave codexd stopped`
    case 'codexd-orphan':
      return 'run codexd start --takeover (it ends the orphan and starts a supervised one)'
    case 'codex-by-hand':
    case 'codexd-other':
      return owner.thisHome
        ? `stop it (kill ${owner.pid}), then run codexd start; or run codexd start --takeover --force to end it`
        : `stop it (kill ${owner.pid ?? 'PID'}), then run codexd start (it runs for ${owner.home ?? 'another home'}, so --force will not end it)`
    case 'unknown':
      return `find and stop the process listening on ${paths.appServerSocket}${owner.pid === null ? '' : ` (pid ${owner.pid})`}, then run codexd start`
  }
}

/** `start`'s one line: who serves the socket and what to run. */
export function ownerLine(owner: ListenerOwner, paths: HomePaths): string {
  return `${describeOwner(owner)} serves ${paths.appServerSocket}, not codexd: ${ownerAdvice(owner, paths)}`
}
