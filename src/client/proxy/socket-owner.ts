import {dirname} from 'node:path'
import {homePaths, type HomePaths} from '../../ground/home/codex-home.js'
import {quoteWord} from '../shell-init/quote.js'

/** What the proxy's messages say about the socket it attaches to: whose log, and how to start it. */
export interface SocketOwner {
  /** The supervisor log of the home that serves the socket; undefined for a socket of no home. */
  readonly supervisorLog: string | undefined
  /** The command (or step) that starts the server behind the socket. */
  readonly fix: string
}

/**
 * Names the home behind `socket`: CODEX_HOME's own socket (where --autostart is allowed), the
 * app-server socket of another home (`CODEX_HOME=<that home> codexd start`), or a socket of no
 * home, whose server the user starts themselves. `--autostart` is suggested only where it works.
 */
export function socketOwner(socket: string, paths: HomePaths, options: {sockGiven: boolean}): SocketOwner {
  if (socket === paths.appServerSocket) {
    return {supervisorLog: paths.supervisorLog, fix: options.sockGiven ? 'start it with codexd start' : 'start it with codexd start (or pass --autostart)'}
  }
  const other = homePaths(dirname(dirname(socket)))
  if (other.appServerSocket === socket) {
    return {supervisorLog: other.supervisorLog, fix: `start it with CODEX_HOME=${quoteWord('bash', other.home)} codexd start`}
  }
  return {supervisorLog: undefined, fix: 'start the server that listens there'}
}

/** `, and see the supervisor log LOG (codexd logs)` (after `joiner`) for a socket of a home, else ''. */
export function seeLog(owner: SocketOwner, joiner: string): string {
  return owner.supervisorLog === undefined ? '' : `${joiner}see the supervisor log ${owner.supervisorLog} (codexd logs)`
}
