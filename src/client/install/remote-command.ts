import {shWord} from './sh-quote.js'

/** The remote command that attaches a client through the launcher at `launcherPath`. */
export function remoteProxyCommand(launcherPath: string): string {
  return `${shWord(launcherPath)} proxy --autostart`
}

/** The lines `launcher --write` prints: the remote command, as plain ssh and as an ~/.ssh/config entry. */
export function remoteCommandLines(launcherPath: string): string {
  const command = remoteProxyCommand(launcherPath)
  return [
    'remote command (desktop app, editors, scripts):',
    `  ${command}`,
    'plain ssh:',
    `  ssh HOST ${shWord(command)}`,
    'or in ~/.ssh/config (then `ssh codexd-HOST`):',
    '  Host codexd-HOST',
    '    HostName HOST',
    `    RemoteCommand ${command}`,
    '    RequestTTY no',
    '',
  ].join('\n')
}
