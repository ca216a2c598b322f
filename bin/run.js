#!/usr/bin/env node
// Entry point. src/cli/fast-path.ts answers the plain forms of the commands that run often or from
// profiles and scripts (`status`, `start`, `shell-init`, `proxy`, and the supervisor daemon and
// built-in child that `start` spawns) without loading oclif; for anything else it declines and
// oclif runs the command. CODEXD_NO_FAST_PATH=1 sends everything through oclif (to compare).
const code = process.env.CODEXD_NO_FAST_PATH === '1' ? undefined : await (await import('../dist/cli/fast-path.js')).runFastPath(process.argv.slice(2))
if (code === undefined) {
  const {execute} = await import('@oclif/core')
  await execute({dir: import.meta.url})
} else {
  process.exitCode = code
}
