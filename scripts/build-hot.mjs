// Bundles the everyday commands (`status`, `start`, `stop`, `restart`, `logs`, `shell-init`,
// `proxy`, `version`) and the two
// long-running processes codexd spawns itself (the supervisor and the built-in app-server) into
// CommonJS files under dist/hot/, one per command, so a start pays neither Node's ES module
// loader nor the resolution of a dozen files (docs/benchmarks.md has the figures). oclif and the
// other commands keep using the ES modules tsc writes to dist/.
//
// dist/hot/fast-path.cjs parses argv and loads only the bundle of the command it runs. The error
// class lives in dist/hot/errors.cjs, shared by every bundle, so `instanceof CodexdError` holds
// across them. The bundles sit two levels below the package root like the modules they come
// from, so their `import.meta.url`-relative paths (bin/run.cjs, package.json) stay right.
import {build} from 'esbuild'
import {dirname, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const src = (path) => resolve(root, 'src', path)

/** Bundle name -> its source module. Each becomes dist/hot/<name>.cjs. */
const BUNDLES = {
  'fast-path': src('cli/fast-path.ts'),
  errors: src('ground/errors/codexd-error.ts'),
  status: src('cli/hot/status.ts'),
  start: src('cli/hot/start.ts'),
  stop: src('cli/hot/stop.ts'),
  restart: src('cli/hot/restart.ts'),
  logs: src('cli/hot/logs.ts'),
  'shell-init': src('cli/hot/shell-init.ts'),
  proxy: src('cli/hot/proxy.ts'),
  version: src('cli/hot/version.ts'),
  supervisor: src('daemon/supervisor/run.ts'),
  'app-server': src('daemon/app-server/run.ts'),
}
const bundleOf = new Map(Object.entries(BUNDLES).map(([name, path]) => [path, name]))

/** Imports of another bundle's module become a require of that bundle instead of a copy. */
const linkBundles = {
  name: 'link-bundles',
  setup(esbuild) {
    esbuild.onResolve({filter: /^\.\.?\//}, (args) => {
      if (args.kind === 'entry-point') return undefined
      const target = bundleOf.get(resolve(args.resolveDir, args.path).replace(/\.js$/, '.ts'))
      return target ? {path: `./${target}.cjs`, external: true} : undefined
    })
  },
}

await build({
  entryPoints: BUNDLES,
  outdir: resolve(root, 'dist/hot'),
  outExtension: {'.js': '.cjs'},
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // import() of another bundle becomes require(): a real import() would load it through the ES
  // module loader (cjs-module-lexer and all), which is the cost these bundles exist to avoid.
  supported: {'dynamic-import': false},
  // Native addons load from node_modules as they are.
  external: ['sqlite3', 'fs-ext'],
  define: {'import.meta.url': '__codexd_module_url'},
  banner: {js: "const __codexd_module_url = require('node:url').pathToFileURL(__filename).href;"},
  plugins: [linkBundles],
  logLevel: 'warning',
})
