#!/usr/bin/env node
'use strict'
// Entry point, in CommonJS: Node's ES module loader would add about 10 ms to every start, and
// the everyday commands (status, start, stop, restart, logs, proxy, shell-init, version) run from
// profiles, prompts and scripts. dist/hot/fast-path.cjs (scripts/build-hot.mjs) parses them from
// their flag tables and runs them, and the supervisor and the built-in child, without loading
// oclif; help (-h, --help) and the other commands (service, smoke, completion, help) go to oclif,
// which runs them from the ES modules in dist/. CODEXD_NO_FAST_PATH=1 sends everything through
// oclif (to compare).
const fastPath = process.env.CODEXD_NO_FAST_PATH === '1' ? Promise.resolve(undefined) : require('../dist/hot/fast-path.cjs').runFastPath(process.argv.slice(2))
fastPath.then(async (code) => {
  if (code !== undefined) {
    process.exitCode = code
    return
  }
  const {execute} = await import('@oclif/core')
  await execute({dir: require('node:url').pathToFileURL(__filename).href})
})
