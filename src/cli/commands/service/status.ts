import {CodexdCommand} from '../../base-command.js'
import {jsonFlag, platformFlag, homeFlag} from '../../../client/service/cli-flags.js'
import {describeServiceStatus} from '../../../client/service/format.js'
import {parsePlatform} from '../../../client/service/platform.js'
import {buildServiceSpec} from '../../../client/service/service-spec.js'
import {serviceStatus, serviceStatusExitCode} from '../../../client/service/status.js'

export default class ServiceStatusCommand extends CodexdCommand {
  static override summary = 'Show whether the login service is installed and up to date, what the manager says, and the supervisor state.'
  static override description = 'Exit 0: the service file is installed (current or outdated). Exit 3: not installed (or a file codexd did not write is in its place).'
  static override examples = ['<%= config.bin %> service status', '<%= config.bin %> service status --json']
  static override flags = {platform: platformFlag, json: jsonFlag, home: homeFlag}

  async run(): Promise<void> {
    const {flags} = await this.parse(ServiceStatusCommand)
    const platform = parsePlatform(flags.platform)
    const status = await serviceStatus(buildServiceSpec(platform, undefined, process.env, flags.home), {platform})
    process.stdout.write(flags.json ? `${JSON.stringify(status, null, 2)}\n` : describeServiceStatus(status))
    const code = serviceStatusExitCode(status)
    if (code !== 0) this.exit(code)
  }
}
