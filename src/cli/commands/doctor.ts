import {oclifFlags} from '../flags/oclif.js'
import {DOCTOR} from '../flags/tables.js'
import {CodexdCommand} from '../base-command.js'
import {formatDoctorReport} from '../../client/doctor/format.js'
import {doctorContext, runDoctor} from '../../client/doctor/run-doctor.js'
import {ExitCode} from '../../ground/errors/exit-codes.js'

export default class Doctor extends CodexdCommand {
  static override summary = 'Find what stops this CODEX_HOME from working, and say the fix for each.'
  static override description = `Checks Node, codex and its version, codex's own managed daemon, the filesystem (type, a real flock, free space), socket paths, ownership and modes, XDG_RUNTIME_DIR, lingering for an installed systemd unit, the ssh launcher and what a non-interactive login finds. Starts and changes nothing (it creates and removes one flock probe file). Exit 0: no check failed (warnings may be printed); exit 1: at least one failed; with --strict, warnings count too. See docs/doctor.md.`
  static override examples = ['<%= config.bin %> doctor', '<%= config.bin %> doctor --json', 'CODEX_HOME=/srv/codex <%= config.bin %> doctor --strict']
  static override flags = oclifFlags(DOCTOR)

  async run(): Promise<void> {
    const {flags} = this.parseTable(DOCTOR)
    const report = await runDoctor(doctorContext())
    process.stdout.write(flags.json ? `${JSON.stringify(report, null, 2)}\n` : formatDoctorReport(report))
    const problems = report.counts.fail > 0 || (flags.strict && report.counts.warn > 0)
    if (problems) this.exit(ExitCode.ProblemsFound)
  }
}
