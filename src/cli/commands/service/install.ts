import {CodexdCommand} from '../../base-command.js'
import {oclifFlags} from '../../flags/oclif.js'
import {SERVICE_INSTALL} from '../../flags/tables.js'
import {describeInstall} from '../../../client/service/format.js'
import {installService} from '../../../client/service/install.js'
import {parsePlatform} from '../../../client/service/platform.js'
import {buildServiceSpec} from '../../../client/service/service-spec.js'

export default class ServiceInstall extends CodexdCommand {
  static override summary = 'Install a login service that runs `codexd run` (systemd user unit on Linux, launchd agent on macOS).'
  static override description = `Writes ~/.config/systemd/user/codexd.service (XDG_CONFIG_HOME honoured) or ~/Library/LaunchAgents/dev.codexd.supervisor.plist for the current CODEX_HOME (another home gets its own name), then enables and starts it. Idempotent; never overwrites a file it did not write (exit 7). When systemctl --user or launchctl cannot be reached, the file is still written and the commands to run are printed. With --home H on systemd, the home runs as the instance codexd@<H, systemd-escaped>.service of the template codexd@.service, so one host runs several homes. See docs/service.md.`
  static override examples = ['<%= config.bin %> service install', '<%= config.bin %> service install --dry-run', 'CODEX_HOME=~/work-codex <%= config.bin %> service install --server codex', '<%= config.bin %> service install --home /srv/codex/alice', '<%= config.bin %> service install --on-upgrade notify']
  static override flags = oclifFlags(SERVICE_INSTALL)

  async run(): Promise<void> {
    const {flags} = this.parseTable(SERVICE_INSTALL)
    const platform = parsePlatform(flags.platform)
    const result = await installService(buildServiceSpec(platform, flags.server, process.env, flags.home, flags['on-upgrade']), {dryRun: flags['dry-run'], platform})
    process.stdout.write(flags.json ? `${JSON.stringify(result)}\n` : describeInstall(result))
  }
}
