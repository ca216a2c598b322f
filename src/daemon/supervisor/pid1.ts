import {existsSync} from 'node:fs'

/** The shell codexd's init runs in: POSIX sh is on every Debian, Ubuntu and Alpine based image. */
export const INIT_SHELL = '/bin/sh'

/**
 * PID 1 for `codexd run` in a container, in POSIX sh. It starts codexd as its child, passes
 * SIGTERM, SIGINT and SIGHUP on to it (a signal that arrives before the child exists is sent
 * once it does), and exits with codexd's status (128+N when codexd itself died of signal N).
 * While it waits, the shell reaps every child it has, including the orphans the kernel
 * re-parents to PID 1, so none stays a zombie. `wait` returns early (>128) when a trapped signal
 * arrives; it is called again while codexd still runs.
 */
export const INIT_SCRIPT = `child=
pending=
forward() { if [ -n "$child" ]; then kill -s "$1" "$child" 2>/dev/null; else pending=$1; fi; }
trap 'forward TERM' TERM
trap 'forward INT' INT
trap 'forward HUP' HUP
"$@" &
child=$!
if [ -n "$pending" ]; then kill -s "$pending" "$child" 2>/dev/null; fi
while :; do
  wait "$child"
  status=$?
  if [ "$status" -gt 128 ] && kill -0 "$child" 2>/dev/null; then continue; fi
  exit "$status"
done
`

/** The process name the init runs as ($0 of the script: what `ps` shows for PID 1). */
export const INIT_NAME = 'codexd-init'

type Execve = (file: string, args: string[], env: NodeJS.ProcessEnv) => never

/** The argv that makes /bin/sh the init of `command`. */
export function initArgv(command: readonly string[]): string[] {
  return [INIT_SHELL, '-c', INIT_SCRIPT, INIT_NAME, ...command]
}

/**
 * `codexd run` as PID 1 (a container's entrypoint, `unshare --pid --fork`): Node reaps only the
 * processes it spawned itself, so orphans re-parented to PID 1 would stay zombies. When this
 * process is PID 1, it replaces itself (process.execve, Node >= 22.15 / 23.11) with the POSIX sh
 * init above, which runs this same command again as its child (pid 2) and reaps everything.
 * Does not return in that case. Returns undefined when not PID 1, or the reason it stays PID 1
 * without reaping (no process.execve, no /bin/sh), for the log.
 */
export function becomeInitWhenPid1(): string | undefined {
  if (process.pid !== 1) return undefined
  const execve = (process as unknown as {execve?: Execve}).execve
  const instead = 'orphaned grandchildren of the app-server will stay zombies; run the container with an init (docker run --init, tini) or on Node >= 22.15'
  if (typeof execve !== 'function') return `codexd runs as PID 1 on Node ${process.versions.node}, which has no process.execve to hand PID 1 to its reaping init: ${instead}`
  if (!existsSync(INIT_SHELL)) return `codexd runs as PID 1 and ${INIT_SHELL} is missing (a distroless image?), so it cannot hand PID 1 to its reaping init: ${instead}`
  execve.call(process, INIT_SHELL, initArgv([process.execPath, ...process.execArgv, ...process.argv.slice(1)]), process.env)
  return undefined // not reached: execve replaced the process or threw
}
