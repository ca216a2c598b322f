import type {ChildProcess} from 'node:child_process'
import type {TempHome} from '../../src/ground/harness/home.js'
import {spawnCodexd, waitFor} from '../../src/ground/harness/processes.js'

export interface StartedServer {
  readonly child: ChildProcess
  /** Everything the server wrote to stderr so far. */
  stderr(): string
}

/** Starts `codexd app-server --listen URL` on `home` and waits until it reports listening. */
export async function startBuiltinServer(home: TempHome, listen = 'unix://', env: NodeJS.ProcessEnv = home.env): Promise<StartedServer> {
  const child = spawnCodexd(['app-server', '--listen', listen], env)
  let stderr = ''
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  let exited = false
  child.once('exit', () => (exited = true))
  await waitFor(() => stderr.includes('listening on') || exited, {timeoutMs: 30_000, what: 'the built-in app-server to listen'})
  if (!stderr.includes('listening on')) throw new Error(`codexd app-server exited before listening: ${stderr}`)
  return {child, stderr: () => stderr}
}
