import {oclifFlags} from '../flags/oclif.js'
import {LIST} from '../flags/tables.js'
import {CodexdCommand} from '../base-command.js'
import {formatList} from '../../client/list/format-list.js'
import {listHomes} from '../../client/list/list-homes.js'
import {styleFor} from '../../client/status-view/style.js'

export default class List extends CodexdCommand {
  static override aliases = ['ls']
  static override summary = 'List every home where a codexd supervisor started for this user, with its state.'
  static override description = `Homes are registered when a supervisor starts ($XDG_STATE_HOME/codexd/homes, else ~/.local/state/codexd/homes) and pruned when they no longer exist. Never starts anything. The state is running, starting, backoff, crash-loop, unmanaged, stopping, stopped (with its last exit) or unreachable.`
  static override examples = ['<%= config.bin %> list', '<%= config.bin %> ls --json']
  static override flags = oclifFlags(LIST)

  async run(): Promise<void> {
    const {flags} = this.parseTable(LIST)
    const homes = await listHomes(flags.timeout)
    process.stdout.write(flags.json ? `${JSON.stringify({homes}, null, 2)}\n` : formatList(homes, styleFor(process.stdout)))
  }
}
