import {mkdirSync, writeFileSync} from 'node:fs'
import {dirname, resolve} from 'node:path'
import {ExitCode} from '../../ground/errors/exit-codes.js'
import {resultLine, summary} from './format.js'
import {prepareSmokeHome} from './home.js'
import {renderJunit} from './junit.js'
import {runSmoke} from './runner.js'

export interface SmokeCommandOptions {
  readonly server: string
  readonly home?: string
  readonly json: boolean
  readonly junit?: string
  readonly timeoutMs: number
  readonly stormSize: number
}

/**
 * `codexd smoke`: runs the scenarios with progress lines (unless --json), writes JUnit when
 * asked, prints the summary or the JSON report, and returns the exit code: 0 all passed, 12 a
 * scenario failed or was skipped, 130 interrupted. Ctrl-C or SIGTERM interrupt the run and
 * still clean up; a second Ctrl-C exits at once.
 */
export async function smokeCommand(options: SmokeCommandOptions): Promise<number> {
  const controller = new AbortController()
  let interrupts = 0
  const onSignal = () => {
    if (++interrupts > 1) process.exit(ExitCode.Interrupted)
    process.stderr.write('codexd smoke: interrupted, cleaning up (Ctrl-C again to exit at once)\n')
    controller.abort()
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  try {
    const home = await prepareSmokeHome(options.home, process.env)
    const out = (text: string) => void (options.json ? undefined : process.stdout.write(text))
    out(`codexd smoke: server ${options.server}, CODEX_HOME ${home.paths.home}\n`)
    const report = await runSmoke({
      server: options.server,
      home,
      timeoutMs: options.timeoutMs,
      stormSize: options.stormSize,
      signal: controller.signal,
      onStart: (scenario, index, total) => void (process.stdout.isTTY && !options.json && process.stdout.write(`[${index + 1}/${total}] ...  ${scenario.name}\r`)),
      onResult: (result, index, total) => out(`${process.stdout.isTTY ? '\x1b[2K' : ''}${resultLine(result, index, total)}`),
    })
    if (options.junit) {
      const path = resolve(options.junit)
      mkdirSync(dirname(path), {recursive: true})
      writeFileSync(path, renderJunit(report))
    }
    process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : summary(report))
    return report.interrupted ? ExitCode.Interrupted : report.ok ? ExitCode.Ok : ExitCode.SmokeFailed
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
}
