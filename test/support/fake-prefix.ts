import {mkdirSync, mkdtempSync, realpathSync, renameSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before} from 'node:test'
import {installRealCodex} from '../../src/ground/harness/real-codex.js'

/**
 * An npm-like install of codex: `<prefix>/bin/codex` links to `<prefix>/lib/codex/bin/codex`
 * (a package dir with package.json), which links to a real native codex. `npmSwap` replaces the
 * package dir the way `npm i -g` does (a new dir renamed into place); `linkSwap` replaces the
 * package's link to the binary (a new link renamed over it, atomic).
 */
export class FakePrefix {
  readonly root = mkdtempSync(join(tmpdir(), 'codexd-prefix-'))
  readonly bin = join(this.root, 'bin', 'codex')

  constructor(native: string) {
    mkdirSync(join(this.root, 'bin'))
    mkdirSync(join(this.root, 'lib'))
    this.writePackage(join(this.root, 'lib', 'codex'), native)
    symlinkSync('../lib/codex/bin/codex', this.bin)
  }

  npmSwap(native: string): void {
    const fresh = join(this.root, 'lib', '.codex-new')
    const retired = join(this.root, 'lib', '.codex-old')
    this.writePackage(fresh, native)
    renameSync(join(this.root, 'lib', 'codex'), retired)
    renameSync(fresh, join(this.root, 'lib', 'codex'))
    rmSync(retired, {recursive: true, force: true})
  }

  linkSwap(native: string): void {
    const link = join(this.root, 'lib', 'codex', 'bin', 'codex')
    symlinkSync(native, `${link}.next`)
    renameSync(`${link}.next`, link)
  }

  remove(): void {
    rmSync(this.root, {recursive: true, force: true})
  }

  private writePackage(dir: string, native: string): void {
    mkdirSync(join(dir, 'bin'), {recursive: true})
    writeFileSync(join(dir, 'package.json'), JSON.stringify({name: '@openai/codex', version: 'see-the-binary'}))
    symlinkSync(native, join(dir, 'bin', 'codex'))
  }
}

/** Real codex binaries by version, and a FakePrefix installing the first (set up by useFakeInstall's before hook). */
export interface FakeInstall {
  prefix?: FakePrefix
  /** Why the tests skip: the npm registry unreachable. */
  skip?: string
  readonly natives: Record<string, string>
}

/**
 * Registers before/after hooks in the current describe: installs the real codex `versions`
 * (cached), lays a FakePrefix on the first and points `env`'s CODEXD_CODEX_BIN at it; removes it after.
 */
export function useFakeInstall(env: NodeJS.ProcessEnv, versions: readonly string[]): FakeInstall {
  const install: FakeInstall = {natives: {}}
  before(async () => {
    for (const version of versions) {
      const codex = await installRealCodex(version)
      if ('skip' in codex) {
        install.skip = `npm registry unreachable, codex ${version} not installed: ${codex.skip}`
        return
      }
      install.natives[version] = realpathSync(codex.bin)
    }
    install.prefix = new FakePrefix(install.natives[versions[0]])
    env.CODEXD_CODEX_BIN = install.prefix.bin
  })
  after(() => install.prefix?.remove())
  return install
}
