import {CodexdCommand} from '../../base-command.js'
import {dryRunFlag, jsonFlag, platformFlag, homeFlag} from '../../../client/service/cli-flags.js'
import {describeUninstall} from '../../../client/service/format.js'
import {parsePlatform} from '../../../client/service/platform.js'
import {buildServiceSpec} from '../../../client/service/service-spec.js'
import {uninstallService} from '../../../client/service/uninstall.js'

export default class ServiceUninstall extends CodexdCommand {
  static override summary = 'Stop, disable and remove the login service of the current CODEX_HOME.'
  static override description = 'Nothing installed is success. A file codexd did not write is refused (exit 7) and left alone.'
  static override examples = ['<%= config.bin %> service uninstall', '<%= config.bin %> service uninstall --dry-run']
  static override flags = {'dry-run': dryRunFlag, platform: platformFlag, json: jsonFlag, home: homeFlag}

  async run(): Promise<void> {
    const {flags} = await this.parse(ServiceUninstall)
    const platform = parsePlatform(flags.platform)
    const result = uninstallService(buildServiceSpec(platform, undefined, process.env, flags.home), {dryRun: flags['dry-run'], platform})
    process.stdout.write(flags.json ? `${JSON.stringify(result)}\n` : describeUninstall(result))
  }
}
