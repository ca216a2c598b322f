import {CODEXD_VERSION} from '../../ground/product.js'

/** `codexd version`, `--version`, `-v`: the version of package.json, alone on its line. */
export function printVersion(): number {
  process.stdout.write(`${CODEXD_VERSION}\n`)
  return 0
}
