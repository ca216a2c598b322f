import {oclifFlags} from '../flags/oclif.js'
import {SMOKE} from '../flags/tables.js'
import {CodexdCommand} from '../base-command.js'
import {smokeCommand} from '../../client/smoke/run-command.js'

export default class Smoke extends CodexdCommand {
  static override summary = 'Run the CI smoke test: start, storm, duplicate launch, proxy, crash recovery, stale socket, stop.'
  static override description = `Runs each scenario against this codexd in a fresh temporary CODEX_HOME (or --home) and times it: cold start; a concurrent start storm (exactly one supervisor and one app-server); a duplicate raw app-server launch gets the duplicate-launch error; an initialize round trip through codexd proxy; kill -9 of the app-server is recovered; a stale socket after kill -9 of everything is recovered; stop leaves no process and no socket. Exit 0 only when all pass (12 otherwise, 130 on Ctrl-C). Always cleans up, also on Ctrl-C. See docs/smoke.md.`
  static override examples = ['<%= config.bin %> smoke', '<%= config.bin %> smoke --server codex --junit smoke.xml', '<%= config.bin %> smoke --json']
  static override flags = oclifFlags(SMOKE)

  async run(): Promise<void> {
    const {flags} = this.parseTable(SMOKE)
    const code = await smokeCommand({server: flags.server, home: flags.home, json: flags.json, junit: flags.junit, timeoutMs: flags.timeout, stormSize: flags.storm})
    process.exit(code)
  }
}
