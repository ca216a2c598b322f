import {execFile} from 'node:child_process'
import {chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

/** The Rust target triple and npm platform package of this machine, as codex's own launcher maps them. */
const TARGETS: Record<string, {triple: string; pkg: string}> = {
  'linux-x64': {triple: 'x86_64-unknown-linux-musl', pkg: '@openai/codex-linux-x64'},
  'linux-arm64': {triple: 'aarch64-unknown-linux-musl', pkg: '@openai/codex-linux-arm64'},
  'darwin-x64': {triple: 'x86_64-apple-darwin', pkg: '@openai/codex-darwin-x64'},
  'darwin-arm64': {triple: 'aarch64-apple-darwin', pkg: '@openai/codex-darwin-arm64'},
}

/** npm output that means the registry could not be reached or does not have the package. */
export const REGISTRY_FAILURE =
  /\b(ENOTFOUND|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ESOCKETTIMEDOUT|EAI_AGAIN|ENETUNREACH|EHOSTUNREACH|ENETDOWN|ERR_SOCKET_TIMEOUT|E404|E50[0234])\b|npm (error|ERR!) network/

const INSTALL_TIMEOUT_MS = 10 * 60_000

/** Installs in flight in this process, so concurrent callers in one test file share one npm run. */
const inFlight = new Map<string, Promise<{bin: string; version: string} | {skip: string}>>()

/**
 * Installs @openai/codex@VERSION from the npm registry into a cache dir (once) and returns the
 * native binary path, or a skip reason when the registry cannot be reached.
 *
 * The cache dir is `<os.tmpdir()>/codexd-test-codex/<version>` and is reused when its binary is
 * already there. The native binary is the one inside the platform package, not the JS launcher
 * `node_modules/.bin/codex` (which on Node 20 stays as a parent process, so a pid or SIGKILL aimed
 * at it misses the real server): `vendor/<triple>/bin/codex` in 0.169.0, `vendor/<triple>/codex/codex`
 * in older releases such as 0.132.0. Safe for several test processes at once: each installs into
 * its own temporary dir beside the cache dir and renames it into place; a process that loses the
 * rename race discards its copy and uses the winner's. Throws with npm's output when the install
 * fails for any reason other than the registry (network errors, timeouts, E404, E5xx → `{skip}`);
 * ETARGET (the registry answered but has no such version) throws, since that is a wrong version.
 */
export async function installRealCodex(version: string): Promise<{bin: string; version: string} | {skip: string}> {
  let pending = inFlight.get(version)
  if (!pending) {
    pending = install(version)
    inFlight.set(version, pending)
    pending.catch(() => inFlight.delete(version))
  }
  return pending
}

async function install(version: string): Promise<{bin: string; version: string} | {skip: string}> {
  const root = join(tmpdir(), 'codexd-test-codex')
  const dir = join(root, version)
  const cached = installed(dir)
  if (cached) return cached

  mkdirSync(root, {recursive: true})
  const staging = mkdtempSync(join(root, `.${version}.installing-`))
  try {
    const failure = await npmInstall(staging, version)
    if (failure) return failure
    const fresh = installed(staging)
    if (!fresh) throw new Error(`npm installed @openai/codex@${version} into ${staging} but no native codex binary for ${process.platform}-${process.arch} is in it (was the optional platform package omitted?)`)
    chmodSync(staging, 0o755) // mkdtemp makes it 0700; the cache is shared like any npm prefix.
    for (let attempt = 0; ; attempt++) {
      try {
        renameSync(staging, dir)
        return installed(dir) ?? fresh
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code
        if (code !== 'EEXIST' && code !== 'ENOTEMPTY') throw error
        // Lost the race to another process, or an unusable leftover occupies the cache dir.
        const winner = installed(dir)
        if (winner) return winner
        if (attempt > 0) throw new Error(`cannot put the codex ${version} install into ${dir}: it exists without a codex binary; remove it`, {cause: error})
        moveAsideUnusable(root, dir, version)
      }
    }
  } finally {
    rmSync(staging, {recursive: true, force: true})
  }
}

/**
 * Moves an unusable cache dir (no binary, e.g. half-deleted by a tmp cleaner) out of the way and
 * deletes it. Should another process have renamed a complete install into place meanwhile, the
 * move is undone instead, so a binary path already handed out stays valid.
 */
function moveAsideUnusable(root: string, dir: string, version: string): void {
  const aside = mkdtempSync(join(root, `.${version}.stale-`))
  const moved = join(aside, 'dir')
  try {
    renameSync(dir, moved)
  } catch (error) {
    rmSync(aside, {recursive: true, force: true})
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return // Another process moved it.
    throw error
  }
  if (installed(moved)) {
    try {
      renameSync(moved, dir)
      return rmSync(aside, {recursive: true, force: true})
    } catch {
      // A third install took the place; it is as good as this one.
    }
  }
  rmSync(aside, {recursive: true, force: true})
}

/** The native binary and package version installed under `prefix`, or undefined when absent. */
function installed(prefix: string): {bin: string; version: string} | undefined {
  const target = TARGETS[`${process.platform}-${process.arch}`]
  if (!target) throw new Error(`no codex native binary is published for ${process.platform}-${process.arch}`)
  const modules = join(prefix, 'node_modules')
  const vendors = [join(modules, ...target.pkg.split('/'), 'vendor', target.triple), join(modules, '@openai', 'codex', 'vendor', target.triple)]
  for (const vendor of vendors) {
    for (const bin of [join(vendor, 'bin', 'codex'), join(vendor, 'codex', 'codex')]) {
      if (!existsSync(bin)) continue
      const manifest = JSON.parse(readFileSync(join(modules, '@openai', 'codex', 'package.json'), 'utf8')) as {version: string}
      return {bin, version: manifest.version}
    }
  }
  return undefined
}

/** Runs npm install into `prefix`; resolves undefined on success, `{skip}` on a registry failure. */
function npmInstall(prefix: string, version: string): Promise<{skip: string} | undefined> {
  const args = ['install', '--no-save', '--no-audit', '--no-fund', '--include=optional', '--prefix', prefix, `@openai/codex@${version}`]
  const env = {...process.env, npm_config_nodedir: '/usr'}
  return new Promise((resolve, reject) => {
    execFile('npm', args, {env, timeout: INSTALL_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024}, (error, stdout, stderr) => {
      if (!error) return resolve(undefined)
      const output = withoutConfigWarnings(`${stdout}${stderr}`)
      if ((error as {killed?: boolean}).killed) return resolve({skip: `npm install @openai/codex@${version} timed out after ${INSTALL_TIMEOUT_MS} ms (registry unreachable?)`})
      const registry = REGISTRY_FAILURE.exec(output)
      if (registry) return resolve({skip: `npm registry unavailable for @openai/codex@${version} (${registry[0]}): ${output.split('\n').slice(0, 2).join(' | ')}`})
      reject(new Error(`npm ${args.join(' ')} failed (${error.message.split('\n')[0]}):\n${output}`, {cause: error}))
    })
  })
}

/** npm's output without its "Unknown env/user config" warnings (npm_config_nodedir triggers one). */
function withoutConfigWarnings(text: string): string {
  return text.split('\n').filter((line) => !/^npm warn Unknown (env|user|project|builtin) config/.test(line)).join('\n').trim()
}
