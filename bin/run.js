#!/usr/bin/env node
// Entry point. The hot commands (`status`, `start`, `shell-init` and `proxy`: what profiles, scripts and
// `ssh host codexd proxy` run, the supervisor daemon and its built-in child) are
// answered without loading oclif when their arguments are the plain forms; the rest goes to oclif.
// CODEXD_NO_FAST_PATH=1 sends everything through oclif (to compare the two).
const argv = process.argv.slice(2)
const hot = ['status', 'start', 'shell-init', 'proxy', 'run', 'app-server'].includes(argv[0]) && process.env.CODEXD_NO_FAST_PATH !== '1'
const code = hot ? await (await import('../dist/cli/fast-path.js')).runFastPath(argv) : undefined
if (code === undefined) {
  const {execute} = await import('@oclif/core')
  await execute({dir: import.meta.url})
} else {
  process.exitCode = code
}
