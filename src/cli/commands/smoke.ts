import {Flags} from '@oclif/core'
import {CodexdCommand} from '../base-command.js'
import {smokeCommand} from '../../client/smoke/run-command.js'

export default class Smoke extends CodexdCommand {
  static override summary = 'Run the CI smoke test: start, storm, duplicate launch, proxy, crash recovery, stale socket, stop.'
  static override description = `Runs each scenario against this codexd in a fresh temporary CODEX_HOME (or --home) and times it: cold start; a concurrent start storm (exactly one supervisor and one app-server); a duplicate raw app-server launch gets the duplicate-launch error; an initialize round trip through codexd proxy; kill -9 of the app-server is recovered; a stale socket after kill -9 of everything is recovered; stop leaves no process and no socket. Exit 0 only when all pass (12 otherwise, 130 on Ctrl-C). Always cleans up, also on Ctrl-C. See docs/smoke.md.`
  static override examples = ['<%= config.bin %> smoke', '<%= config.bin %> smoke --server codex --junit smoke.xml', '<%= config.bin %> smoke --json']
  static override flags = {
    server: Flags.string({description: 'the app-server to test: auto (codex on PATH, else built-in), builtin, codex, or a command', default: 'auto'}),
    home: Flags.string({description: 'CODEX_HOME to use (created if missing; refused while a supervisor runs there); default: a fresh temporary one, removed afterwards'}),
    json: Flags.boolean({description: 'print the report as JSON (no progress lines)', default: false}),
    junit: Flags.string({description: 'also write the report as JUnit XML to this file'}),
    timeout: Flags.integer({description: 'milliseconds each start or recovery may take', default: 60_000, min: 1000}),
    storm: Flags.integer({description: 'how many concurrent codexd start the storm runs', default: 16, min: 2}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(Smoke)
    const code = await smokeCommand({server: flags.server, home: flags.home, json: flags.json, junit: flags.junit, timeoutMs: flags.timeout, stormSize: flags.storm})
    process.exit(code)
  }
}
