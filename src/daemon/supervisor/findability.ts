import {existsSync} from 'node:fs'
import type {ControlServer} from '../control/server.js'
import type {HomePaths} from '../../ground/home/codex-home.js'
import {ensurePrivateDir} from '../../ground/home/private-dir.js'
import {CodexdError} from '../../ground/errors/codexd-error.js'
import {acquireLock, type HeldLock} from '../../ground/lock/flock.js'
import type {Supervisor} from './supervisor.js'

/**
 * Keeps a running supervisor findable: its instance lock file is the one it holds, and its
 * control socket answers at `codexd/supervisor.sock`. A deleted `codexd/` is re-created and the
 * lock taken again on the new file (or, if another supervisor got there first, this one shuts
 * down); a removed control socket is bound again; a deleted home is never re-created: the
 * supervisor records why and shuts down. Runs on the watcher's news and every probe period.
 */
export class Findability {
  private checking: Promise<void> | undefined
  private blockedWhy: string | undefined
  private gone = false

  constructor(
    private readonly paths: HomePaths,
    private readonly instance: {current: HeldLock},
    private readonly control: ControlServer,
    private readonly supervisor: Supervisor,
    private readonly shutdown: (reason: string) => void,
  ) {}

  /** One check (concurrent calls share it). */
  check(): Promise<void> {
    this.checking ??= this.run().finally(() => (this.checking = undefined))
    return this.checking
  }

  private async run(): Promise<void> {
    if (this.gone) return
    if (!existsSync(this.paths.home)) {
      await this.homeDeleted()
      return
    }
    if (!this.instance.current.stillAtPath()) {
      try {
        ensurePrivateDir(this.paths.codexdDir, {parentMustExist: true})
      } catch (error) {
        // The home went away since the check above: never re-create it.
        if (error instanceof CodexdError && error.code === 'parent-gone') return this.homeDeleted()
        throw error
      }
      const again = await acquireLock(this.paths.supervisorInstanceLock, {timeoutMs: 0, purpose: 'the supervisor instance lock'}).catch(() => undefined)
      if (!again) {
        await this.giveUp('instance-lock-lost', `${this.paths.supervisorInstanceLock} was replaced and another process holds the new one; shutting down`)
        return
      }
      this.instance.current.release()
      this.instance.current = again
      await this.supervisor.event('instance-lock-retaken', `${this.paths.supervisorInstanceLock} was removed; took the lock again on a new file`)
    }
    const repair = await this.control.repair()
    if (repair.kind === 'rebound') {
      this.blockedWhy = undefined
      await this.supervisor.event('control-socket-recreated', `the control socket ${this.paths.supervisorSocket} was gone; bound it again`)
    } else if (repair.kind === 'blocked' && repair.why !== this.blockedWhy) {
      this.blockedWhy = repair.why
      await this.supervisor.event('error', `cannot bind the control socket again: ${repair.why}; clients find this supervisor (pid ${process.pid}) through ${this.paths.supervisorInstanceLock}`)
    }
  }

  private homeDeleted(): Promise<void> {
    return this.giveUp('home-deleted', `the home ${this.paths.home} was deleted; shutting down without re-creating it`)
  }

  private async giveUp(kind: 'home-deleted' | 'instance-lock-lost', message: string): Promise<void> {
    this.gone = true
    await this.supervisor.event(kind, message)
    this.shutdown(message)
  }
}
