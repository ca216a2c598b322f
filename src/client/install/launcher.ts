import {realpathSync} from 'node:fs'
import {CODEXD_ENTRY} from '../../ground/product.js'

/** How the snippet runs codexd without a PATH lookup: this node binary and this package's entry point. */
export interface Launcher {
  /** Absolute path of the node binary. */
  readonly node: string
  /** Absolute path of codexd's bin/run.cjs. */
  readonly entry: string
}

/**
 * The launcher of the running codexd, resolved now (at generation time): `process.execPath` and
 * the real path of bin/run.cjs (npm links to it; the link may move, the file does not).
 */
export function currentLauncher(): Launcher {
  let real = CODEXD_ENTRY
  try {
    real = realpathSync(CODEXD_ENTRY)
  } catch {
    // Keep the unresolved path: the snippet checks that it exists before using it.
  }
  return {node: process.execPath, entry: real}
}
