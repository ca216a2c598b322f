import {isatty} from 'node:tty'
import {homePaths, resolveCodexHome} from '../../ground/home/codex-home.js'
import {identifyListenerOwner} from '../../ground/owner/listener-owner.js'
import {takeOver} from './takeover.js'
import {describeTakeover} from './takeover-output.js'

/** Default SIGTERM-to-SIGKILL grace for what the takeover ends itself. */
const DEFAULT_GRACE_MS = 5000

/**
 * `codexd start --takeover` and `codexd restart --takeover` (when another process serves the
 * home): takes the home over, then prints one line (or JSON) saying from whom and what it ended.
 */
export async function runTakeover(options: {json: boolean; server: string | undefined; timeoutMs: number; force: boolean; graceMs?: number}): Promise<void> {
  const paths = homePaths(resolveCodexHome())
  const result = await takeOver(paths, {
    force: options.force,
    timeoutMs: options.timeoutMs,
    graceMs: options.graceMs ?? (Number(process.env.CODEXD_STOP_GRACE_MS) || DEFAULT_GRACE_MS),
    server: options.server,
    onProgress: isatty(2) && !options.json ? (message) => process.stderr.write(`codexd: ${message}\n`) : undefined,
  })
  process.stdout.write(options.json ? `${JSON.stringify(result)}\n` : `${describeTakeover(paths, result)}\n`)
}

/** True when a process other than codexd's own child serves this home's app-server socket. */
export async function servedByAnother(): Promise<boolean> {
  const owner = await identifyListenerOwner(homePaths(resolveCodexHome()))
  return owner !== undefined && owner.kind !== 'codexd'
}
