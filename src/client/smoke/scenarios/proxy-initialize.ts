import {initializeThroughProxy} from '../proxy-round-trip.js'
import {ScenarioFailure, type Scenario} from '../types.js'

/** A WebSocket client completes initialize through `codexd proxy`, then ends its input: proxy exit 0. */
export const proxyInitialize: Scenario = {
  id: 'proxy-initialize',
  name: 'initialize through codexd proxy',
  needs: 'running',
  async run(context) {
    const trip = await initializeThroughProxy(context.env, context.timeoutMs, context.signal)
    if (trip.proxyExit !== 0) throw new ScenarioFailure(`codexd proxy exited ${trip.proxyExit} after the client ended its input, expected 0`)
    return `userAgent "${trip.userAgent}"`
  },
}
