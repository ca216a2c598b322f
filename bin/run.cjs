#!/usr/bin/env node
'use strict'
// Entry point, in CommonJS: Node's ES module loader would add about 10 ms to every start, and
// `status`, `start`, `shell-init` and `proxy` run from profiles, prompts and scripts.
// dist/hot/fast-path.cjs (scripts/build-hot.mjs) answers their plain forms, and spawns the
// supervisor and the built-in child, without loading oclif; for anything else it declines and
// oclif runs the command from the ES modules in dist/. CODEXD_NO_FAST_PATH=1 sends everything
// through oclif (to compare).
const fastPath = process.env.CODEXD_NO_FAST_PATH === '1' ? Promise.resolve(undefined) : require('../dist/hot/fast-path.cjs').runFastPath(process.argv.slice(2))
fastPath.then(async (code) => {
  if (code !== undefined) {
    process.exitCode = code
    return
  }
  const {execute} = await import('@oclif/core')
  await execute({dir: require('node:url').pathToFileURL(__filename).href})
})
