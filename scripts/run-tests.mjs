// Runs every *.test.ts under src/ and test/ with node's test runner (through tsx). Node 20's
// --test does not expand globs, hence the explicit list.
import {spawnSync} from 'node:child_process'
import {readdirSync, statSync} from 'node:fs'
import {availableParallelism, homedir} from 'node:os'
import {join} from 'node:path'

function findTests(dir) {
  return readdirSync(dir, {withFileTypes: true}).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : findTests(path)
    return entry.name.endsWith('.test.ts') ? [path] : []
  })
}

const only = process.argv.slice(2)
const files = only.length > 0 ? only : ['src', 'test'].flatMap(findTests).sort()
// A test must fail, never hang: every test and suite without its own timeout gets this one.
const TEST_TIMEOUT_MS = 600_000
// Test files mostly wait on processes, sockets and locks, so two run at once even on 2 cores
// (node's default is one fewer than the cores: a single file at a time there). Every test is
// hermetic (its own home, HOME and processes), which is what makes that safe.
const concurrency = Number(process.env.CODEXD_TEST_CONCURRENCY) || Math.max(2, availableParallelism())
// Tests are hermetic: none may write the machine's ~/.codex (each test has its own CODEX_HOME and
// HOME). Any change of it, or of the directories under it, during the run fails the run.
const userCodex = join(homedir(), '.codex')
function snapshot(dir, depth = 3) {
  let stat
  try {
    stat = statSync(dir)
  } catch {
    return []
  }
  const entries = stat.isDirectory() && depth > 0 ? readdirSync(dir).flatMap((name) => snapshot(join(dir, name), depth - 1)) : []
  return [`${dir} ${stat.mtimeMs}`, ...entries]
}
const before = snapshot(userCodex).join('\n')
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-timeout=${TEST_TIMEOUT_MS}`, `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files], {stdio: 'inherit'})
if (snapshot(userCodex).join('\n') !== before) {
  console.error(`run-tests: something wrote to ${userCodex} during the tests: a test, or a codex it ran, lacked its own CODEX_HOME and HOME`)
  process.exit(1)
}
process.exit(result.status ?? 1)
