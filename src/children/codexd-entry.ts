import {fileURLToPath} from 'node:url'

/**
 * The CLI entry point of this codexd installation (`<repo>/bin/run.cjs`), found relative to this
 * module so it works from dist/ and from src/ under tsx alike. The supervisor and the built-in
 * child are spawned as `process.execPath CODEXD_ENTRY ...`, never through PATH.
 */
export const CODEXD_ENTRY = fileURLToPath(new URL('../../bin/run.cjs', import.meta.url))
