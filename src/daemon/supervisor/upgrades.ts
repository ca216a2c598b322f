import {statSync} from 'node:fs'
import {executableFingerprint} from '../../ground/children/codex-executable.js'
import {readCodexVersion} from '../../ground/children/codex-version.js'
import {connectedClientCount} from '../../ground/proc/unix-listeners.js'
import type {UpgradeReport} from '../../ground/protocol/status-report.js'
import type {UpgradePolicy} from '../../ground/children/upgrade-policy.js'
import type {SupervisorConfig} from './config.js'
import type {Supervisor} from './supervisor.js'

/** `codex --version` of a just-installed codex: it answers in milliseconds; a hung one is broken. */
const VERSION_TIMEOUT_MS = 10_000

/**
 * Upgrades of the codex executable the child runs (docs/codex-daemon.md, "Upgrades"): when the
 * watcher says the install changed, reads the installed version with `codex --version` (the
 * same reading that chose the running child's version, and proof the new install runs before
 * the child is moved onto it), records it, and applies the policy: `restart-now` restarts the
 * child, `restart-when-idle` restarts it once no client is connected to the app-server socket
 * (counted in the kernel's socket table, again every `upgradeIdlePollMs` while pending), and
 * `notify` only shows it. `codexd restart` applies a pending upgrade: any spawn runs what is
 * installed.
 *
 * A restart only ever moves onto an install that answered `--version` and has not changed since:
 * an install that cannot be read withdraws the pending upgrade (the child keeps its version, the
 * status says why), and `apply` compares the fingerprint read with the one now before restarting.
 */
export class Upgrades {
  /** The installed version, when it was read, and the executable's fingerprint at that reading. */
  private installed: {version: string; at: string; fingerprint: string} | undefined
  private poll: NodeJS.Timeout | undefined
  /** Why the installed executable cannot be read now (one line); undefined while it can. */
  private problem: string | undefined
  /** `--version` reads in flight: close() aborts them (their process groups killed). */
  private readonly reads = new Set<AbortController>()
  /** Set by close(): the supervisor is stopping, nothing is read, polled or restarted any more. */
  private closed = false

  constructor(
    private readonly supervisor: Supervisor,
    readonly policy: UpgradePolicy,
    private readonly config: SupervisorConfig,
  ) {
    // At start the installed version is the one the child was resolved with.
    if (supervisor.spec.version !== null) this.installed = {version: supervisor.spec.version, at: new Date().toISOString(), fingerprint: executableFingerprint(supervisor.spec.file)}
    // A spawn that read the install before the watcher did (a crash restart, `codexd restart`):
    // the child runs what is installed, no upgrade is pending for it.
    supervisor.onSpecRead = (version, fingerprint) => {
      if (this.closed) return
      this.problem = undefined
      this.installed = {version, at: new Date().toISOString(), fingerprint}
    }
  }

  /** The executable changed: read its version and act. False when it cannot be read (yet). */
  async onExecutableChanged(): Promise<boolean> {
    if (this.closed) return false
    const file = this.supervisor.spec.file
    // npm removes the old link long before it writes the new one: a replacement in progress, not
    // an error. Looked at again at the next change or probe.
    const absent = whyAbsent(file)
    if (absent !== undefined) {
      this.unreadable(absent)
      return false
    }
    // Taken before the reading: a change during it makes apply() refuse, and the watcher reads again.
    const fingerprint = executableFingerprint(file)
    let version: string
    const read = new AbortController()
    this.reads.add(read)
    try {
      version = await readCodexVersion(file, VERSION_TIMEOUT_MS, read.signal)
    } catch (error) {
      if (this.closed) return false
      const message = (error as Error).message
      // Said once per failure, not at every retry of a half-finished install.
      if (message !== this.problem) await this.supervisor.event('error', `codex changed but its version cannot be read yet: ${message}`)
      this.unreadable(message)
      return false
    } finally {
      this.reads.delete(read)
    }
    if (this.closed) return false
    this.problem = undefined
    if (version === this.installed?.version) {
      this.installed = {...this.installed, fingerprint}
      await this.apply() // a swap back to the version read before: pending again
      return true
    }
    this.installed = {version, at: new Date().toISOString(), fingerprint}
    const running = this.supervisor.runningVersion()
    const what = `codex ${version} is installed at ${file}`
    if (running === null || running === version) await this.supervisor.event('upgrade-detected', `${what}${running === null ? '; the next child runs it' : ', the version the child runs'}`)
    else await this.supervisor.event('upgrade-detected', `${what}; the child runs ${running}; on-upgrade ${this.policy}`)
    await this.apply()
    return true
  }

  /** Applies the policy to a pending upgrade; a no-op once nothing is pending. */
  async apply(): Promise<void> {
    if (this.closed) return
    if (!this.pending()) return this.stopPolling()
    if (this.policy === 'notify') return
    // Changed since its version was read (maybe broken since): the watcher reads it again first.
    if (executableFingerprint(this.supervisor.spec.file) !== this.installed?.fingerprint) return
    // Unknown (no /proc/net/unix) counts as busy: an upgrade never cuts off a client it cannot see.
    const clients = connectedClientCount(this.supervisor.paths.appServerSocket)
    if (this.policy === 'restart-when-idle' && clients !== 0) {
      if (this.poll === undefined) {
        // Set before the await below, so a concurrent apply starts no second timer.
        this.poll = setInterval(() => void this.apply(), this.config.upgradeIdlePollMs)
        const who = clients === null ? 'clients cannot be counted here (no /proc/net/unix)' : `${clients} client${clients === 1 ? '' : 's'} connected to ${this.supervisor.paths.appServerSocket}`
        await this.supervisor.event('upgrade-pending', `${who}: the child moves to codex ${this.installed?.version} once none is (codexd restart: now)`)
      }
      return
    }
    this.stopPolling()
    // No await before the restart request: it changes the state at once, so a concurrent apply
    // finds nothing pending and never restarts twice.
    const reason = `upgrade: codex ${this.supervisor.runningVersion()} -> ${this.installed?.version} (${this.policy === 'restart-now' ? `restart-now, ${clients ?? 'unknown'} client(s) connected` : 'no client connected'})`
    await this.supervisor.requestRestart(reason, false)
  }

  /** The upgrade part of the status report. */
  report(): UpgradeReport {
    const pending = this.pending()
    return {
      policy: this.policy,
      executable: this.supervisor.spec.file,
      running: this.supervisor.runningVersion(),
      installed: this.installed?.version ?? null,
      checkedAt: this.installed?.at ?? null,
      pending,
      clients: pending ? connectedClientCount(this.supervisor.paths.appServerSocket) : null,
      problem: this.problem ?? null,
    }
  }

  /** The install cannot be read (`why`): nothing is installed that a child could be moved onto. */
  private unreadable(why: string): void {
    this.problem = why
    this.installed = undefined
    this.stopPolling()
  }

  /** The supervisor stops: polling ends, reads in flight are aborted, and nothing is applied after. */
  close(): void {
    this.closed = true
    this.stopPolling()
    for (const read of this.reads) read.abort()
  }

  /** A child runs another version than the installed one (and is up: a child starting takes the installed one). */
  private pending(): boolean {
    const running = this.supervisor.runningVersion()
    return this.installed !== undefined && running !== null && running !== this.installed.version
  }

  private stopPolling(): void {
    clearInterval(this.poll)
    this.poll = undefined
  }
}

/** Why nothing can be run at `file` (its links followed), or undefined when a file is there. */
function whyAbsent(file: string): string | undefined {
  try {
    statSync(file)
    return undefined
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ELOOP') return `${file} is a symlink loop: point it at the codex executable`
    if (code === 'ENOENT' || code === 'ENOTDIR') return `${file} is missing (deleted, or an install in progress)`
    return `${file} cannot be looked at: ${(error as Error).message}`
  }
}
