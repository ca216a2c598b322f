import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {after, before, describe, it} from 'node:test'
import {CODEXD_BIN, finished, runCodexd, spawnTracked} from '../src/ground/harness/processes.js'
import {NO_TERMINAL} from './support/interactive-shell.js'
import {startAndTrack, supervisedHome} from './support/supervisor-home.js'

/** Any SGR colour sequence (ESC [ ... m). */
const ESCAPE = /\x1b\[[0-9;]*m/
const GREEN_RUNNING = /\x1b\[32m● running\x1b\[39m/

/** `codexd ARGS` under a real pseudo-terminal (util-linux script): stdout is a TTY. */
async function underTerminal(args: string, env: NodeJS.ProcessEnv) {
  const command = `${process.execPath} ${CODEXD_BIN} ${args}`
  return finished(spawnTracked('script', ['-qec', command, '/dev/null'], {env}))
}

describe('status and list on a terminal: colours, symbols, redraw', {skip: NO_TERMINAL, timeout: 120_000}, () => {
  const home = supervisedHome('builtin')
  delete home.env.NO_COLOR
  delete home.env.FORCE_COLOR
  delete home.env.XDG_STATE_HOME
  // A user's terminal, not a CI log: Node reports 2 colours (none) whenever CI is set (CI=true in .ci/run).
  delete home.env.CI
  home.env.TERM = 'xterm-256color'
  let supervisorPid = 0
  before(async () => {
    supervisorPid = (await startAndTrack(home)).supervisor!.pid
  })
  after(() => home.cleanup())

  it('status on a TTY: the state is green with its symbol; the log path and both processes\' memory are shown', async () => {
    const shown = await underTerminal('status', home.env)
    assert.equal(shown.code, 0, shown.stdout)
    assert.match(shown.stdout, GREEN_RUNNING)
    const plain = shown.stdout.replace(new RegExp(ESCAPE.source, 'g'), '')
    assert.match(plain, new RegExp(`^log\\s+${home.paths.supervisorLog}\r?$`, 'm'))
    const usages = [...plain.matchAll(/usage\s+([\d.]+) MiB, cpu ([\d.]+)s \(([\d.]+)% avg\)/g)]
    assert.equal(usages.length, 2, 'one usage line for the supervisor, one for the child')
    // The figure is the kernel's: within a factor of two of VmRSS read now (the process lives on).
    const rssMiB = Number(/^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${supervisorPid}/status`, 'utf8'))![1]) / 1024
    const shownMiB = Number(usages[0][1])
    assert.ok(shownMiB > rssMiB / 2 && shownMiB < rssMiB * 2, `supervisor RSS shown ${shownMiB} MiB, /proc says ${rssMiB.toFixed(1)} MiB`)
  })

  it('piped: no colour, no symbol', async () => {
    const piped = await runCodexd(['status'], home.env)
    assert.equal(piped.code, 0)
    assert.doesNotMatch(piped.stdout, ESCAPE)
    assert.match(piped.stdout, /^state\s+running$/m)
  })

  it('NO_COLOR on a TTY turns colours off; FORCE_COLOR when piped turns them on', async () => {
    const noColour = await underTerminal('status', {...home.env, NO_COLOR: '1'})
    assert.equal(noColour.code, 0)
    assert.doesNotMatch(noColour.stdout, ESCAPE)
    const forced = await runCodexd(['status'], {...home.env, FORCE_COLOR: '1'})
    assert.match(forced.stdout, GREEN_RUNNING)
  })

  it('list on a TTY: the state coloured in its column, the header dim', async () => {
    const listed = await underTerminal('list', home.env)
    assert.equal(listed.code, 0, listed.stdout)
    assert.match(listed.stdout, new RegExp(`${GREEN_RUNNING.source}\\s+${home.home}\\s+builtin`))
    const piped = await runCodexd(['ls'], home.env)
    assert.doesNotMatch(piped.stdout, ESCAPE)
    assert.match(piped.stdout, new RegExp(`^running\\s+${home.home}\\s+builtin \\S+\\s+${supervisorPid}/\\d+`, 'm'))
  })

  it('status --watch on a TTY redraws in place (cursor up over the last drawing, clear below) and Ctrl-C ends it with 0', async () => {
    const watched = await underTerminal('status --watch --interval 200 & pid=$!; sleep 3; kill -INT $pid; wait $pid', home.env)
    assert.equal(watched.code, 0, watched.stdout)
    const drawings = watched.stdout.split(/\x1b\[\d+A\x1b\[0J/)
    assert.ok(drawings.length >= 3, `expected several redraws in place, got ${drawings.length - 1}: ${JSON.stringify(watched.stdout.slice(0, 400))}`)
    // Each redraw moves up exactly as many lines as the drawing before it printed.
    const moves = [...watched.stdout.matchAll(/\x1b\[(\d+)A/g)].map((match) => Number(match[1]))
    for (const [index, moved] of moves.entries()) assert.equal(moved, drawings[index].split('\n').length - 1)
    for (const drawing of drawings.slice(1)) assert.match(drawing, GREEN_RUNNING)
  })
})
