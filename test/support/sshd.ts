import {spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {createConnection, createServer} from 'node:net'
import {tmpdir, userInfo} from 'node:os'
import {join} from 'node:path'
import {killGroup, spawnTracked, waitFor} from '../../src/ground/harness/processes.js'
import {isAlive} from '../../src/ground/proc/processes.js'

const SSHD = '/usr/sbin/sshd'

/** A running OpenSSH server on 127.0.0.1 that lets this user in with a key of its own. */
export interface TestSshd {
  readonly port: number
  readonly pid: number
  /** The ssh client's arguments to run `remoteCommand` (or the config's RemoteCommand when omitted) on this server. */
  sshArgs(remoteCommand?: string, options?: readonly string[]): string[]
  /** Everything sshd logged so far (for diagnostics). */
  log(): string
  /** Stops sshd by its pid and removes its files. */
  stop(): Promise<void>
}

/** What the sessions get: sshd's `SetEnv` lines (PATH among them replaces sshd's default PATH). */
export interface SshdOptions {
  readonly setEnv: Readonly<Record<string, string>>
}

function which(command: string): string | undefined {
  const found = spawnSync('sh', ['-c', `command -v ${command}`], {encoding: 'utf8'})
  return found.status === 0 ? found.stdout.trim() : undefined
}

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as {port: number}
  await new Promise((resolve) => server.close(resolve))
  return port
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({port, host: '127.0.0.1'})
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}

function keygen(path: string): void {
  const made = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'codexd-test', '-f', path], {encoding: 'utf8'})
  if (made.status !== 0) throw new Error(`ssh-keygen -f ${path} failed: ${made.stderr}`)
}

/**
 * Starts Debian's OpenSSH server (/usr/sbin/sshd) in the foreground on a free port of 127.0.0.1
 * with its own host key, config and authorized key (StrictModes off, no PAM, no passwords).
 * Resolves to `{skip}` with the reason when sshd, ssh or ssh-keygen is missing.
 */
export async function startSshd(options: SshdOptions): Promise<TestSshd | {skip: string}> {
  if (!existsSync(SSHD)) return {skip: `${SSHD} is missing: apt-get install openssh-server`}
  if (!which('ssh') || !which('ssh-keygen')) return {skip: 'the OpenSSH client (ssh, ssh-keygen) is missing: apt-get install openssh-client'}
  // As root, sshd insists on its privilege separation directory (Debian's service creates it).
  if (process.getuid?.() === 0) mkdirSync('/run/sshd', {recursive: true, mode: 0o755})
  const dir = mkdtempSync(join(tmpdir(), 'codexd-sshd-'))
  keygen(join(dir, 'host_key'))
  keygen(join(dir, 'client_key'))
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'client_key.pub')))
  const port = await freePort()
  const config = join(dir, 'sshd_config')
  writeFileSync(config, [
    `Port ${port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${join(dir, 'host_key')}`,
    'PidFile none',
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    'StrictModes no',
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'PermitRootLogin prohibit-password',
    'UsePAM no',
    // Many clients connect at once: the default (10:30:100) drops unauthenticated connections past 10.
    'MaxStartups 200',
    'LogLevel VERBOSE',
    ...Object.entries(options.setEnv).map(([name, value]) => `SetEnv ${name}=${value}`),
    '',
  ].join('\n'))
  const daemon = spawnTracked(SSHD, ['-D', '-e', '-f', config])
  let log = ''
  daemon.stdout?.setEncoding('utf8').on('data', (chunk: string) => (log += chunk))
  daemon.stderr?.setEncoding('utf8').on('data', (chunk: string) => (log += chunk))
  let exited = false
  daemon.once('exit', () => (exited = true))
  await waitFor(async () => exited || (await accepts(port)), {timeoutMs: 20_000, what: `sshd to listen on 127.0.0.1:${port}`})
  if (exited) throw new Error(`sshd exited before listening: ${log}`)
  const user = userInfo().username
  const pid = daemon.pid!
  return {
    port,
    pid,
    log: () => log,
    sshArgs: (remoteCommand, extra = []) => [
      '-F', '/dev/null', '-T', '-p', String(port), '-i', join(dir, 'client_key'),
      '-o', 'IdentitiesOnly=yes', '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=no',
      '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR', ...extra,
      `${user}@127.0.0.1`, ...(remoteCommand === undefined ? [] : [remoteCommand]),
    ],
    async stop() {
      killGroup(pid, 'SIGTERM')
      await waitFor(() => !isAlive(pid), {timeoutMs: 10_000, what: `sshd (pid ${pid}) to exit`}).catch(() => killGroup(pid))
      rmSync(dir, {recursive: true, force: true})
    },
  }
}
