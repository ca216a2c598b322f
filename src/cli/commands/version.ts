import {oclifFlags} from '../flags/oclif.js'
import {VERSION} from '../flags/tables.js'
import {CodexdCommand} from '../base-command.js'
import {printVersion} from '../hot/version.js'

export default class Version extends CodexdCommand {
  static override summary = "Print codexd's version (also codexd --version, codexd -v)."
  static override examples = ['<%= config.bin %> version', '<%= config.bin %> -v']
  static override flags = oclifFlags(VERSION)

  async run(): Promise<void> {
    this.parseTable(VERSION)
    printVersion()
  }
}
