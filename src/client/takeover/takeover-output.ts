import {describeStart} from '../ensure/start-output.js'
import type {HomePaths} from '../../ground/home/codex-home.js'
import {describeOwner} from '../../ground/owner/owner-advice.js'
import type {TakeoverResult} from './takeover.js'

/** The human line `start --takeover` / `restart --takeover` print. */
export function describeTakeover(paths: HomePaths, result: TakeoverResult): string {
  if (!result.tookOverFrom) return describeStart(paths, result)
  const ended = result.ended.map((process) => `${process.what} pid ${process.pid} by ${process.endedBy}`).join(', ')
  return `took over ${paths.home} from ${describeOwner(result.tookOverFrom)}: ended ${ended}; codexd serves it now (supervisor pid ${result.supervisorPid}); app-server ready on ${result.appServerSocket}`
}
