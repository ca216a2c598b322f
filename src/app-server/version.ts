import {createRequire} from 'node:module'

/** codexd's own version, from package.json. */
export const CODEXD_VERSION: string = (createRequire(import.meta.url)('../../package.json') as {version: string}).version
