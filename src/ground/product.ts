import {createRequire} from 'node:module'
import {fileURLToPath} from 'node:url'

// Both paths are relative to this module, which sits two levels below the package root in src/,
// dist/ and dist/hot/ alike (scripts/build-hot.mjs keeps the bundles at that depth).

/** codexd's own version, from package.json. */
export const CODEXD_VERSION: string = (createRequire(import.meta.url)('../../package.json') as {version: string}).version

/**
 * The CLI entry point of this codexd installation (`<package>/bin/run.cjs`). The supervisor and
 * the built-in child are spawned as `process.execPath CODEXD_ENTRY ...`, never through PATH.
 */
export const CODEXD_ENTRY = fileURLToPath(new URL('../../bin/run.cjs', import.meta.url))
