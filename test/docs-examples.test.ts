// Docs that are true: every `codexd` command example in README.md and docs/*.md runs here, in a
// temporary home with the built-in app-server, and must end with the exit code the doc states and
// print the output line the doc shows. The rules (which lines run, the markers that skip or set
// an exit code) are in docs/testing.md, "Doc examples".
import assert from 'node:assert/strict'
import {chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {after, before, describe, it} from 'node:test'
import {tempHome, type TempHome} from '../src/ground/harness/home.js'
import {CODEXD_BIN, killAllStarted, runCommand, trackPid} from '../src/ground/harness/processes.js'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
/** Fenced blocks whose `codexd` lines are examples; other languages are file contents. */
const SHELL_LANGS = new Set(['sh', 'console', ''])
/** One example's deadline: `start` of a cold home is the slowest, well under this. */
const LINE_TIMEOUT_MS = 60_000

interface Example {
  /** The command as a shell runs it (the `$ ` prompt removed, continuation lines joined). */
  readonly command: string
  readonly line: number
  readonly exit: number
  /** Text the output must contain (a line the doc shows after the command, or `# -> TEXT`). */
  readonly key: string | undefined
  /** Why this line is not run, from a `<!-- not run "PREFIX": reason -->` marker. */
  readonly notRun: string | undefined
}

interface Block {
  readonly line: number
  readonly examples: readonly Example[]
  /** Why the whole block is not run (`<!-- not run: reason -->`). */
  readonly notRun: string | undefined
  /** `<!-- run first: CMD -->`: a command run before the block (the state the doc assumes). */
  readonly setup: readonly string[]
  /** Lines that run codexd some other way (ssh, docker, a profile line) with no marker. */
  readonly unmarked: readonly string[]
}

/** Strips a shell comment (`  # ...`) from an example line; `#` inside quotes is kept. */
function splitComment(text: string): {code: string; comment: string} {
  let quote = ''
  for (let i = 0; i < text.length; i++) {
    const char = text[i]
    if (quote) {
      if (char === quote) quote = ''
    } else if (char === '"' || char === "'") {
      quote = char
    } else if (char === '#' && (i === 0 || /\s/.test(text[i - 1]!))) {
      return {code: text.slice(0, i).trimEnd(), comment: text.slice(i + 1).trim()}
    }
  }
  return {code: text.trimEnd(), comment: ''}
}

/** `codexd ...`, `VAR=value codexd ...`, or `printf ... | codexd ...` (input for it). */
const RUNNABLE = /^(?:(?:[A-Z_][A-Z0-9_]*=\S*\s+)*codexd(?:\s|$)|(?:printf|echo)\s.*\|\s*codexd\s)/
/** A line that calls codexd at all (not a mention in a comment or a file name). */
const MENTIONS = /(?:^|[\s|;&(`'"])codexd(?:\s|$)/

/** The fenced shell blocks of one markdown file, with their markers and runnable examples. */
function parseDoc(text: string): Block[] {
  const lines = text.split('\n')
  const blocks: Block[] = []
  for (let i = 0; i < lines.length; i++) {
    const fence = /^```(\S*)\s*$/.exec(lines[i]!)
    if (!fence) continue
    const start = i
    const body: string[] = []
    for (i++; i < lines.length && !lines[i]!.startsWith('```'); i++) body.push(lines[i]!)
    if (!SHELL_LANGS.has(fence[1]!)) continue
    const markers: string[] = []
    for (let m = start - 1; m >= 0 && /^<!--.*-->\s*$/.test(lines[m]!); m--) markers.unshift(lines[m]!)
    blocks.push(parseBlock(body, start + 2, fence[1]!, markers))
  }
  return blocks
}

function parseBlock(body: readonly string[], firstLine: number, lang: string, markers: readonly string[]): Block {
  let notRun: string | undefined
  let blockExit = 0
  const setup: string[] = []
  const lineSkips: Array<{prefix: string; reason: string}> = []
  for (const marker of markers) {
    const inner = marker.replace(/^<!--\s*/, '').replace(/\s*-->\s*$/, '')
    let match: RegExpExecArray | null
    if ((match = /^not run "([^"]+)":\s*(\S.*)$/.exec(inner))) lineSkips.push({prefix: match[1]!, reason: match[2]!})
    else if ((match = /^not run:\s*(\S.*)$/.exec(inner))) notRun = match[1]!
    else if ((match = /^exit (\d+)$/.exec(inner))) blockExit = Number(match[1])
    else if ((match = /^run first:\s*(\S.*)$/.exec(inner))) setup.push(match[1]!)
    else if (/^(not run|exit|run first)\b/.test(inner)) throw new Error(`malformed docs-test marker: ${marker}`)
  }
  const examples: Example[] = []
  const unmarked: string[] = []
  // In a block with a `$ ` prompt, or without a language, only `$ `-prompted lines are commands
  // (the rest is output or a synopsis); in other sh/console blocks a bare `codexd ...` line is one.
  const promptsOnly = lang === '' || body.some((raw) => raw.startsWith('$ '))
  for (let j = 0; j < body.length; j++) {
    const raw = body[j]!
    const prompted = raw.startsWith('$ ')
    if (!prompted && promptsOnly) continue
    let text = prompted ? raw.slice(2) : raw
    const line = firstLine + j
    while (text.endsWith('\\') && j + 1 < body.length) text = `${text.slice(0, -1)} ${body[++j]!.trim()}`
    const {code, comment} = splitComment(text)
    const skip = lineSkips.find((s) => code.startsWith(s.prefix))
    if (!RUNNABLE.test(code)) {
      if (MENTIONS.test(code) && !skip && notRun === undefined) unmarked.push(`${line}: ${code}`)
      continue
    }
    const exitNote = /(?:^|[\s:;(])exit (\d+)\b/.exec(comment)
    const arrow = /^->\s*(.+)$/.exec(comment)
    let key = arrow?.[1]?.trim()
    if (!key && prompted) {
      const shown = body.slice(j + 1).find((next) => next.trim() !== '' || next.startsWith('$ '))
      if (shown !== undefined && !shown.startsWith('$ ')) key = shown.trim()
    }
    examples.push({command: code, line, exit: exitNote ? Number(exitNote[1]) : blockExit, key, notRun: skip?.reason})
  }
  return {line: firstLine - 1, examples, notRun, setup, unmarked}
}

/**
 * A pattern for a line the doc shows: its sample home (/home/me/.codex, /home/me) becomes the
 * test's, numbers (pids, sizes, times) and `...`/`…` match anything.
 */
function keyPattern(key: string, home: string): RegExp {
  const parts = key.split(/(\/home\/me\/\.codex|\/home\/me|\.\.\.|…|\d+(?:\.\d+)?)/)
  const source = parts.map((part, index) => {
    if (index % 2 === 0) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+')
    if (part === '/home/me/.codex' || part === '/home/me') return home.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    if (part === '...' || part === '…') return '.*'
    return '\\d+(?:\\.\\d+)?'
  })
  return new RegExp(source.join(''))
}

const docFiles = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((name) => name.endsWith('.md')).sort().map((name) => `docs/${name}`)]

describe('doc examples run as written', {timeout: 600_000}, () => {
  // `codexd` on PATH is this checkout, run by this node.
  let shimDir: string
  let shimHome: TempHome
  before(() => {
    shimHome = tempHome('codexd-docs-bin-')
    shimDir = join(shimHome.home, 'bin')
    mkdirSync(shimDir)
    const shim = join(shimDir, 'codexd')
    writeFileSync(shim, `#!/bin/sh\nexec '${process.execPath}' '${CODEXD_BIN}' "$@"\n`)
    chmodSync(shim, 0o755)
  })
  after(() => shimHome.remove())

  for (const file of docFiles) {
    const parsed = parseDoc(readFileSync(join(ROOT, file), 'utf8'))
    const blocks = parsed.filter((block) => block.examples.length > 0)
    const unmarked = parsed.flatMap((block) => block.unmarked)
    if (blocks.length === 0 && unmarked.length === 0) continue
    describe(file, {timeout: 300_000}, () => {
      it('every command line that calls codexd is run here or carries a "not run" marker', () => {
        assert.deepEqual(unmarked, [], `${file}: lines that call codexd, neither run nor marked (add <!-- not run: reason --> before the block, or <!-- not run "PREFIX": reason -->)`)
      })

      // One home per doc file, shared by its examples in order (as a reader would run them).
      let home: TempHome
      let env: NodeJS.ProcessEnv
      const sh = (command: string) => runCommand('/bin/sh', ['-c', command], {env, cwd: ROOT, timeoutMs: LINE_TIMEOUT_MS})
      before(() => {
        home = tempHome('codexd-docs-', {CODEXD_SERVER: 'builtin'})
        env = {...home.env, PATH: `${shimDir}:${process.env.PATH ?? ''}`}
      })
      after(async () => {
        // Whatever the examples left running: track its pids (killed even if stop fails), stop it.
        const status = await sh('codexd status --json')
        try {
          const report = JSON.parse(status.stdout) as {supervisor?: {pid?: number} | null; child?: {pid?: number} | null}
          for (const pid of [report.supervisor?.pid, report.child?.pid]) if (typeof pid === 'number') trackPid(pid)
        } catch {
          // No report: nothing runs.
        }
        await sh('codexd stop')
        killAllStarted()
        home.remove()
      })

      for (const block of blocks) {
        const title = `${file}:${block.line}: ${block.examples.map((e) => e.command).join(' ; ')}`.slice(0, 160)
        if (block.notRun) {
          it(title, {skip: `not run: ${block.notRun}`}, () => {})
          continue
        }
        it(title, {timeout: 120_000}, async (t) => {
          for (const command of block.setup) {
            const run = await sh(command)
            assert.equal(run.code, 0, `${file}:${block.line}: run first "${command}" exited ${run.code}: ${run.stderr}`)
          }
          for (const example of block.examples) {
            const where = `${file}:${example.line}: ${example.command}`
            if (example.notRun) {
              t.diagnostic(`not run: ${where}: ${example.notRun}`)
              continue
            }
            const run = await sh(example.command)
            const output = `${run.stdout}${run.stderr}`
            assert.equal(run.timedOut, false, `${where}: still running after ${LINE_TIMEOUT_MS} ms`)
            assert.equal(run.code, example.exit, `${where}: exit ${run.code}, the doc says ${example.exit}\n${output}`)
            if (example.key !== undefined) {
              assert.match(output, keyPattern(example.key, home.home), `${where}: the doc shows "${example.key}", the command printed:\n${output}`)
            }
          }
        })
      }
    })
  }
})
