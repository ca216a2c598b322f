#!/usr/bin/env node
'use strict'
// Entry point, in CommonJS: Node's ES module loader would add about 10 ms to every start, and
// the everyday commands (status, start, stop, restart, logs, proxy, shell-init, version) run from
// profiles, prompts and scripts. dist/hot/fast-path.cjs (scripts/build-hot.mjs) parses them from
// their flag tables and runs them, and the supervisor and the built-in child, without loading
// oclif; help (-h, --help) and the other commands (service, smoke, completion, help) go to oclif,
// which runs them from the ES modules in dist/. CODEXD_NO_FAST_PATH=1 sends everything through
// oclif (to compare).
// A write that fails with nobody to catch it (stdout on a full disk, a closed pipe) would end the
// process with a stack trace: say it in one line instead (docs/exit-codes.md: 13), or, for a reader
// that went away (EPIPE, `codexd status | head -1`), end quietly as other Unix tools do.
process.on('uncaughtException', (error) => {
  if (error && error.syscall === 'write' && error.code === 'EPIPE') process.exit(process.exitCode ?? 0)
  if (error && error.syscall === 'write') {
    require('node:fs').writeSync(2, `codexd: cannot write the output (${error.code}: ${error.message.replace(/^\w+: /, '').replace(/, write$/, '')}): free space on that filesystem, or send the output elsewhere\n`)
    process.exit(13)
  }
  require('node:fs').writeSync(2, `${(error && error.stack) || error}\n`)
  process.exit(1)
})
const fastPath = process.env.CODEXD_NO_FAST_PATH === '1' ? Promise.resolve(undefined) : require('../dist/hot/fast-path.cjs').runFastPath(process.argv.slice(2))
fastPath.then(async (code) => {
  if (code !== undefined) {
    process.exitCode = code
    return
  }
  const {execute} = await import('@oclif/core')
  await execute({dir: require('node:url').pathToFileURL(__filename).href})
})
