import {execFile} from 'node:child_process'
import {randomUUID} from 'node:crypto'
import {trackPid} from '../../src/ground/harness/processes.js'

/** The real codex TUI running in a tmux server of its own (`tmux -L <unique>`), for one test. */
export interface TmuxTui {
  /** The pid of the codex TUI process (the pane's process: `env` execs codex). */
  readonly tuiPid: number
  /** The tmux server's pid. */
  readonly serverPid: number
  /** The pane's text as shown now. */
  screen(): Promise<string>
  /** kill-server, then SIGKILL of the server pid should it still run. */
  close(): Promise<void>
}

function tmux(socketName: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile('tmux', ['-L', socketName, '-f', '/dev/null', ...args], {env, timeout: 10_000, encoding: 'utf8'}, (error, stdout, stderr) => (error ? reject(new Error(`tmux ${args.join(' ')}: ${stderr || error.message}`)) : resolve(stdout))),
  )
}

/**
 * Starts `codex` (the TUI, binary `codex`) in a detached tmux session with CODEX_HOME and HOME
 * from `env`, on a tmux socket of its own; both pids are tracked for cleanup.
 */
export async function startTui(codex: string, env: NodeJS.ProcessEnv): Promise<TmuxTui> {
  const socketName = `codexd-test-${randomUUID()}`
  const command = ['env', `CODEX_HOME=${env.CODEX_HOME}`, `HOME=${env.HOME}`, codex].map((word) => `'${word.replaceAll("'", "'\\''")}'`).join(' ')
  await tmux(socketName, ['new-session', '-d', '-x', '160', '-y', '48', '-s', 'tui', command], env)
  const serverPid = Number((await tmux(socketName, ['display-message', '-p', '#{pid}'], env)).trim())
  const tuiPid = Number((await tmux(socketName, ['list-panes', '-F', '#{pane_pid}'], env)).trim())
  trackPid(serverPid)
  trackPid(tuiPid)
  return {
    tuiPid,
    serverPid,
    screen: () => tmux(socketName, ['capture-pane', '-p'], env).catch(() => ''),
    async close() {
      await tmux(socketName, ['kill-server'], env).catch(() => {})
      for (const pid of [tuiPid, serverPid]) {
        try {
          process.kill(pid, 'SIGKILL')
        } catch {
          // gone
        }
      }
    },
  }
}
