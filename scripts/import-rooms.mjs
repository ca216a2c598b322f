// The one rule of src/'s imports (docs/architecture.md): rooms only import downwards.
//
//   cli/     the commands, the fast path, oclif hooks: may import every room below
//   client/  what a user's command does (ensure, control client, operations, proxy, ...)
//   daemon/  the processes codexd keeps running (supervisor, its control server, built-in child)
//   ground/  the ground beneath both (home, lock, startup, proc, errors, protocol, util, ...)
//
// client/ and daemon/ never import each other, nothing imports cli/, production code never
// imports test/, and there is no cycle: neither between modules nor between the folders of a room.
// dependency-cruiser builds the import graph and checks the rules; this file adds only the
// folder-level cycle search over the graph it returns.
import {cruise} from 'dependency-cruiser'

/** dependency-cruiser rules for the rooms. */
export const RULES = [
  {name: 'ground-imports-upwards', severity: 'error', comment: 'ground/ is the ground: it imports no room above it',
    from: {path: '^src/ground/'}, to: {path: '^src/(daemon|client|cli)/'}},
  {name: 'daemon-imports-client', severity: 'error', comment: 'the daemon side never imports the client side (or cli/)',
    from: {path: '^src/daemon/'}, to: {path: '^src/(client|cli)/'}},
  {name: 'client-imports-daemon', severity: 'error', comment: 'the client side never imports the daemon side (or cli/)',
    from: {path: '^src/client/'}, to: {path: '^src/(daemon|cli)/'}},
  {name: 'src-imports-test', severity: 'error', comment: 'src/ never imports test/ (test support lives in src/ground/harness/)',
    from: {path: '^src/'}, to: {path: '^test/'}},
  {name: 'no-circular', severity: 'error', comment: 'no import cycle between modules',
    from: {}, to: {circular: true}},
]

/** The folder a module belongs to for the folder-cycle search: src/<room>/<folder>, or src/<room>. */
export function folderOf(path) {
  const parts = path.split('/')
  if (parts[0] !== 'src') return undefined
  return parts.length > 3 ? parts.slice(0, 3).join('/') : parts.slice(0, 2).join('/')
}

/** Every cycle between folders (as lists of folder names), found by a depth-first search. */
export function folderCycles(modules) {
  const edges = new Map()
  for (const module of modules) {
    const from = folderOf(module.source)
    // A test is a leaf: its imports (the harness among them) make no cycle of the code it tests.
    if (!from || module.source.endsWith('.test.ts')) continue
    for (const dependency of module.dependencies) {
      const to = folderOf(dependency.resolved)
      if (!to || to === from || dependency.dependencyTypes.includes('type-only')) continue
      if (!edges.has(from)) edges.set(from, new Set())
      edges.get(from).add(to)
    }
  }
  const cycles = []
  const state = new Map() // folder -> 'open' | 'done'
  const stack = []
  const visit = (folder) => {
    state.set(folder, 'open')
    stack.push(folder)
    for (const next of edges.get(folder) ?? []) {
      if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next])
      else if (!state.has(next)) visit(next)
    }
    stack.pop()
    state.set(folder, 'done')
  }
  for (const folder of [...edges.keys()].sort()) if (!state.has(folder)) visit(folder)
  return cycles
}

/**
 * Checks the rooms under `baseDir` (a directory holding src/ and tsconfig.json). Returns one
 * line per violation; an empty list means the imports only go down.
 */
export async function checkImportRooms(baseDir) {
  const result = await cruise(['src'], {
    baseDir,
    validate: true,
    ruleSet: {forbidden: RULES},
    tsPreCompilationDeps: true,
    tsConfig: {fileName: 'tsconfig.json'},
    doNotFollow: {path: 'node_modules'},
    exclude: {path: 'node_modules'},
  })
  const {modules, summary} = result.output
  const lines = summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}${v.cycle ? ` (cycle: ${v.cycle.map((c) => c.name ?? c).join(' -> ')})` : ''}`)
  for (const cycle of folderCycles(modules)) lines.push(`folder-cycle: ${cycle.join(' -> ')}`)
  return lines
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // Usage: node scripts/import-rooms.mjs [DIR]  (DIR holds src/ and tsconfig.json; default: .)
  const lines = await checkImportRooms(process.argv[2] ?? process.cwd())
  for (const line of lines) console.error(line)
  console.log(lines.length === 0 ? 'import rooms: imports only go down, no cycles' : `import rooms: ${lines.length} violation(s)`)
  process.exit(lines.length === 0 ? 0 : 1)
}
