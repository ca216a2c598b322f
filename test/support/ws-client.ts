import {AppServerClient} from '../../src/ground/app-server-client/client.js'
import {connectPathFor} from '../../src/ground/home/socket-path.js'

/** The app-server client of src/ground/app-server-client/, as the tests open it. */
export type RpcClient = AppServerClient

export const RpcClient = {
  /** Connects to the socket behind `canonical` (following the long-path fallback). */
  connect(canonical: string): Promise<AppServerClient> {
    return AppServerClient.open({socketPath: connectPathFor(canonical)})
  },
}
