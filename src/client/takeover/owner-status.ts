import {ExitCode} from '../../ground/errors/exit-codes.js'
import type {HomePaths} from '../../ground/home/codex-home.js'
import {identifyListenerOwner, type ListenerOwner} from '../../ground/owner/listener-owner.js'
import {describeOwner, ownerAdvice} from '../../ground/owner/owner-advice.js'
import type {StatusReport} from '../../ground/protocol/status-report.js'

/** `status --json`'s `listenerOwner`: the owner, the phrase naming it, and what to run. */
export type ListenerOwnerReport = ListenerOwner & {readonly describe: string; readonly advice: string}

/** A status report with the identified owner of a listener codexd does not manage (null: none). */
export type StatusWithOwner = StatusReport & {readonly listenerOwner: ListenerOwnerReport | null}

/**
 * Adds `listenerOwner` to a status report whose app-server is not codexd's running child: who
 * else serves the home's socket (docs/codex-daemon.md). Reads /proc only; while codexd serves, it
 * looks at nothing.
 */
export async function withListenerOwner(paths: HomePaths, report: StatusReport): Promise<StatusWithOwner> {
  if (report.state === 'running') return {...report, listenerOwner: null}
  const owner = await identifyListenerOwner(paths).catch(() => undefined)
  if (!owner || owner.kind === 'codexd') return {...report, listenerOwner: null}
  return {...report, listenerOwner: {...owner, describe: describeOwner(owner), advice: ownerAdvice(owner, paths)}}
}

/** The human lines for the owner (empty when codexd serves or nothing does). */
export function formatListenerOwner(report: StatusWithOwner): string {
  const owner = report.listenerOwner
  if (!owner) return ''
  return `\nserved by  ${owner.describe}\ncommand    ${owner.command ?? '?'}\nto fix     ${owner.advice}\n`
}

/**
 * `status` exits 6 (AlreadyInUse) when another process serves the home's socket, like `start`,
 * `restart` and `proxy --autostart` refusing it; undefined otherwise (the usual 0/3/4).
 */
export function listenerOwnerExitCode(report: StatusWithOwner): number | undefined {
  return report.listenerOwner ? ExitCode.AlreadyInUse : undefined
}
