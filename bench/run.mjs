#!/usr/bin/env node
/**
 * `npm run bench`: measures codexd against its budgets (docs/benchmarks.md)
 * side by side in one run and prints one table. Every section uses its own temporary CODEX_HOMEs
 * and stops every process it started (by pid and process group), also on failure.
 *
 *   node bench/run.mjs [--only hot,shell,storm,crash,proxy,memory,instructions] [--quick] [--no-codex]
 *                      [--instructions] [--json FILE]
 *
 * --instructions adds load-independent instruction counts of the hot commands (valgrind, ~1 min).
 */
import {writeFileSync} from 'node:fs'
import {parseArgs} from 'node:util'
import {cleanupHomes} from './lib/homes.mjs'
import {loadLine, machineInfo} from './lib/machine.mjs'
import {killEverything} from './lib/procs.mjs'
import {realCodex} from './lib/real-codex.mjs'
import {renderTable} from './lib/table.mjs'
import {crashRecovery} from './sections/crash-recovery.mjs'
import {hotCommands} from './sections/hot-commands.mjs'
import {instructions} from './sections/instructions.mjs'
import {memory} from './sections/memory.mjs'
import {proxyBench} from './sections/proxy.mjs'
import {shellInit} from './sections/shell-init.mjs'
import {startStorm} from './sections/start-storm.mjs'

const CODEX_VERSION = '0.169.0'

const {values: options} = parseArgs({options: {only: {type: 'string'}, quick: {type: 'boolean', default: false}, 'no-codex': {type: 'boolean', default: false}, json: {type: 'string'}, instructions: {type: 'boolean', default: false}}})
const quick = options.quick
const settings = {
  runs: quick ? 8 : 30,
  reps: quick ? 2 : 5,
  rounds: quick ? 2 : 3,
  bulkMiB: quick ? 32 : 128,
  rttCount: quick ? 500 : 2000,
  sessions: quick ? 200 : 1000,
  proxySessions: quick ? 4 : 10,
}
const sections = [
  ['hot', 'status/start with the supervisor running', hotCommands],
  ['shell', 'shell-init snippet in bash -ic exit', shellInit],
  ['storm', 'concurrent starts', (ctx) => startStorm({...ctx, reps: quick ? 1 : 3})],
  ['crash', 'kill -9 to next initialize', crashRecovery],
  ['proxy', 'proxy throughput and round trip', proxyBench],
  ['memory', 'resident memory', memory],
  ['instructions', 'instruction counts of the hot commands', instructions],
]
const only = options.only?.split(',').map((name) => name.trim())
const unknown = only?.filter((name) => !sections.some(([key]) => key === name)) ?? []
if (unknown.length > 0) {
  console.error(`bench: unknown section ${unknown.join(', ')}: use ${sections.map(([key]) => key).join(', ')}`)
  process.exit(2)
}

const began = Date.now()
const log = (message) => process.stderr.write(`bench [${((Date.now() - began) / 1000).toFixed(1)} s] ${message}\n`)
const machine = machineInfo()
const loadBefore = loadLine()
let codex = null
let codexNote = 'not used (--no-codex)'
if (!options['no-codex']) {
  log(`looking for codex ${CODEX_VERSION} (installing it into the shared cache if missing)`)
  const found = await realCodex(CODEX_VERSION)
  if ('skip' in found) codexNote = `skipped: ${found.skip}`
  else {
    codex = found
    codexNote = `${found.version} (${found.bin})`
  }
}

const rows = []
const notes = []
const note = (line) => notes.push(line)
let failed = 0
try {
  for (const [key, title, measure] of sections) {
    if (only ? !only.includes(key) : key === 'instructions' && !options.instructions) continue
    log(`== ${title}`)
    try {
      rows.push(...(await measure({...settings, codex, log, note})))
    } catch (error) {
      failed++
      log(`${key} FAILED: ${error.stack ?? error}`)
      rows.push({what: `${title}: FAILED (${String(error.message ?? error).split('\n')[0]})`, met: false})
    } finally {
      await cleanupHomes()
    }
  }
} finally {
  await cleanupHomes()
  killEverything()
}

const loadAfter = loadLine()
const seconds = (Date.now() - began) / 1000
console.log(`machine: ${machine.nproc} cpus, ${machine.cpu}, ${machine.memGiB} GiB, Linux ${machine.kernel}; node ${machine.node}; codex ${codexNote}`)
console.log(`load before: ${loadBefore}; after: ${loadAfter}; bench time ${seconds.toFixed(0)} s${quick ? ' (--quick)' : ''}`)
console.log('')
console.log(renderTable(rows))
if (notes.length > 0) console.log(`\n${notes.map((line) => `- ${line}`).join('\n')}`)
const missed = rows.filter((row) => row.met === false)
console.log('')
console.log(missed.length === 0 ? 'all goals met' : `goals not met: ${missed.length} (see docs/benchmarks.md for causes)`)
if (options.json) writeFileSync(options.json, `${JSON.stringify({machine, codex: codexNote, loadBefore, loadAfter, seconds, settings, rows, notes}, null, 2)}\n`)
process.exit(failed > 0 ? 1 : 0)
