#!/usr/bin/env node
// Entry point. The hot commands (`status`, and `start` from shell profiles) are answered without
// loading oclif when their arguments are the plain forms; everything else goes through oclif.
// CODEXD_NO_FAST_PATH=1 sends everything through oclif (to compare the two).
const argv = process.argv.slice(2)
const hot = (argv[0] === 'status' || argv[0] === 'start') && process.env.CODEXD_NO_FAST_PATH !== '1'
const code = hot ? await (await import('../dist/cli/fast-path.js')).runFastPath(argv) : undefined
if (code === undefined) {
  const {execute} = await import('@oclif/core')
  await execute({dir: import.meta.url})
} else {
  process.exitCode = code
}
