import {Flags} from '@oclif/core'

/** Flags shared by the `codexd service` commands. */
export const platformFlag = Flags.string({description: 'generate for linux (systemd) or darwin (launchd) instead of this machine; the manager is then not run', options: ['linux', 'darwin']})
export const jsonFlag = Flags.boolean({description: 'print the result as JSON', default: false})
export const dryRunFlag = Flags.boolean({description: 'print what would be written and run; change nothing', default: false})
export const homeFlag = Flags.string({description: 'the CODEX_HOME to serve (default: $CODEX_HOME, else ~/.codex); on systemd, runs it as the instance codexd@<home>.service of the template codexd@.service'})
