// The container recipe in docs/containers.md: docs/examples/Dockerfile (not built here: no
// container engine) and docs/examples/codexd-statefulset.yaml. Every codexd command they run is
// checked against the commands and flags codexd has (the oclif manifest the build writes), the
// manifest is parsed by a real YAML parser, and the probe commands are run against a temp home.
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {chmodSync, readFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {describe, it} from 'node:test'
import {findOnPath} from '../src/ground/children/find-on-path.js'
import {CODEXD_ENTRY} from '../src/ground/product.js'
import {runCodexd} from '../src/ground/harness/processes.js'
import {startAndTrack, supervisedHome} from './support/supervisor-home.js'

const root = dirname(dirname(CODEXD_ENTRY))
const read = (path: string) => readFileSync(join(root, path), 'utf8')

interface ManifestFlag {
  readonly type: 'boolean' | 'option'
  readonly options?: readonly string[]
}
const commands = (JSON.parse(read('oclif.manifest.json')) as {commands: Record<string, {flags: Record<string, ManifestFlag>; args: Record<string, unknown>}>}).commands

/**
 * Checks that `argv` (`codexd ...`) names a real codexd command and passes only flags it has
 * (with a value where the flag takes one, one of its options where it has a list); returns the
 * command id (`status`, `service:install`).
 */
function checkCodexd(argv: readonly string[]): string {
  assert.equal(argv[0], 'codexd', `not a codexd command: ${argv.join(' ')}`)
  const words = argv.slice(1)
  const id = [2, 1].map((n) => words.slice(0, n).join(':')).find((candidate) => candidate in commands)
  assert.ok(id, `codexd has no command ${words.join(' ')}`)
  const rest = words.slice(id.split(':').length)
  let positional = 0
  for (let index = 0; index < rest.length; index++) {
    const word = rest[index]!
    if (!word.startsWith('--')) {
      positional++
      continue
    }
    const [name, inline] = word.slice(2).split(/=(.*)/s)
    const flag = commands[id].flags[name!]
    assert.ok(flag, `codexd ${id.replace(':', ' ')} has no flag --${name}`)
    if (flag.type === 'boolean') continue
    const value = inline ?? rest[++index]
    assert.ok(value !== undefined, `--${name} needs a value in: ${argv.join(' ')}`)
    if (flag.options) assert.ok(flag.options.includes(value), `--${name} ${value}: not one of ${flag.options.join(', ')}`)
  }
  assert.ok(positional <= Object.keys(commands[id].args).length, `codexd ${id} takes ${Object.keys(commands[id].args).length} arguments: ${argv.join(' ')}`)
  return id
}

/** The Kubernetes manifest's documents, parsed by PyYAML (a real YAML parser), or a skip reason. */
function parseManifest(path: string): any[] | string {
  if (!findOnPath('python3')) return 'python3 is not installed (with PyYAML: Debian python3-yaml)'
  const result = spawnSync('python3', ['-c', 'import json, sys, yaml; print(json.dumps(list(yaml.safe_load_all(sys.stdin))))'], {input: read(path), encoding: 'utf8'})
  if (result.status !== 0 && /No module named .?yaml/.test(result.stderr)) return 'PyYAML is not installed (Debian package python3-yaml)'
  assert.equal(result.status, 0, result.stderr)
  return JSON.parse(result.stdout)
}

/** The exec form (`["codexd", ...]`) of a Dockerfile instruction's command. */
function execForm(text: string): string[] {
  const parsed = JSON.parse(text) as unknown
  assert.ok(Array.isArray(parsed) && parsed.every((word) => typeof word === 'string'), `not an exec-form command: ${text}`)
  return parsed as string[]
}

describe('the container recipe (docs/containers.md)', {timeout: 120_000}, () => {
  const dockerfile = read('docs/examples/Dockerfile')
  const lines = dockerfile.replace(/\\\n/g, ' ').split('\n').filter((line) => line && !line.startsWith('#'))
  const instruction = (name: string) => lines.filter((line) => line.startsWith(`${name} `)).map((line) => line.slice(name.length + 1).trim())

  it('Dockerfile: Node 24 base, codexd and codex from the registry, a non-root user, CODEX_HOME on a volume', () => {
    assert.ok(instruction('FROM').every((from) => /^node:24(-|\s|$)/.test(from)), instruction('FROM').join('; '))
    assert.match(instruction('RUN').join('\n'), /npm install --global .*"codexd@\$\{CODEXD_VERSION\}" "@openai\/codex@\$\{CODEX_VERSION\}"/)
    assert.deepEqual(instruction('USER'), ['node'])
    const home = /CODEX_HOME=(\S+)/.exec(instruction('ENV').join(' '))?.[1]
    assert.ok(home, 'no ENV CODEX_HOME')
    assert.deepEqual(instruction('VOLUME'), [home])
  })

  it('Dockerfile: CMD and HEALTHCHECK run real codexd commands with flags codexd has', () => {
    const [cmd] = instruction('CMD').map(execForm)
    assert.equal(checkCodexd(cmd!), 'run')
    const [health] = instruction('HEALTHCHECK').map((line) => execForm(line.slice(line.indexOf('CMD ') + 4)))
    assert.equal(checkCodexd(health!), 'status')
    // Any codexd in a RUN line (none today) would be checked the same way.
    for (const run of instruction('RUN')) for (const match of run.matchAll(/(?:^|[;&|]\s*)(codexd(?:\s+[^;&|]+)?)/g)) checkCodexd(match[1]!.trim().split(/\s+/))
    // The checker does reject what codexd does not have.
    assert.throws(() => checkCodexd(['codexd', 'status', '--wait']), /has no flag --wait/)
    assert.throws(() => checkCodexd(['codexd', 'health']), /has no command/)
  })

  it('StatefulSet: parsed by a YAML parser; one home per pod on a claim mounted at CODEX_HOME; non-root; exec probes on codexd status', (t) => {
    const docs = parseManifest('docs/examples/codexd-statefulset.yaml')
    if (typeof docs === 'string') return t.skip(docs)
    assert.deepEqual(docs.map((doc) => `${doc.apiVersion} ${doc.kind}`), ['v1 Service', 'apps/v1 StatefulSet'])
    const [service, set] = docs
    assert.equal(service.spec.clusterIP, 'None')
    assert.equal(set.spec.serviceName, service.metadata.name)
    assert.deepEqual(set.spec.selector.matchLabels, set.spec.template.metadata.labels)
    assert.deepEqual(service.spec.selector, set.spec.template.metadata.labels)
    const pod = set.spec.template.spec
    assert.deepEqual([pod.securityContext.runAsNonRoot, pod.securityContext.fsGroupChangePolicy], [true, 'OnRootMismatch'])
    assert.equal(pod.containers.length, 1)
    const [container] = pod.containers
    const home = container.env.find((variable: {name: string}) => variable.name === 'CODEX_HOME')?.value
    const [claim] = set.spec.volumeClaimTemplates
    assert.deepEqual(container.volumeMounts, [{name: claim.metadata.name, mountPath: home}])
    assert.deepEqual(claim.spec.accessModes, ['ReadWriteOnce'])
    assert.equal(checkCodexd([...container.command, ...container.args]), 'run')
    for (const probe of ['readinessProbe', 'livenessProbe']) {
      assert.equal(checkCodexd(container[probe].exec.command), 'status', probe)
      const timeoutMs = Number(container[probe].exec.command.at(-1))
      assert.ok(container[probe].timeoutSeconds * 1000 > timeoutMs, `${probe}: timeoutSeconds must exceed codexd status --timeout`)
    }
  })

  it('the probe commands, run against a home like a fresh volume (root 2770): exit 3 without a supervisor, 0 while it serves', async (t) => {
    const docs = parseManifest('docs/examples/codexd-statefulset.yaml')
    if (typeof docs === 'string') return t.skip(docs)
    const container = docs[1].spec.template.spec.containers[0]
    const probes: string[][] = [container.readinessProbe.exec.command, container.livenessProbe.exec.command, execForm(instruction('HEALTHCHECK')[0]!.replace(/^.*?CMD /, ''))]
    const home = supervisedHome('builtin')
    try {
      chmodSync(home.home, 0o2770)
      for (const probe of probes) assert.equal((await runCodexd(probe.slice(1), home.env)).code, 3, `${probe.join(' ')} without a supervisor`)
      await startAndTrack(home)
      for (const probe of probes) {
        const result = await runCodexd(probe.slice(1), home.env)
        assert.equal(result.code, 0, `${probe.join(' ')} while serving: ${result.stdout}${result.stderr}`)
      }
    } finally {
      await home.cleanup()
    }
  })

  it('docs/containers.md shows both files as they are', () => {
    const page = read('docs/containers.md')
    assert.ok(page.includes(`\`\`\`dockerfile\n${dockerfile}\`\`\``), 'docs/containers.md: the Dockerfile differs from docs/examples/Dockerfile')
    assert.ok(page.includes(`\`\`\`yaml\n${read('docs/examples/codexd-statefulset.yaml')}\`\`\``), 'docs/containers.md: the manifest differs from docs/examples/codexd-statefulset.yaml')
  })
})
