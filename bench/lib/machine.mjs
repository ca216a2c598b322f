/** What the bench ran on: printed above the table and copied into docs/benchmarks.md. */
import {readFileSync} from 'node:fs'
import {availableParallelism, loadavg} from 'node:os'

/** nproc, CPU model, memory, node version. */
export function machineInfo() {
  const cpuinfo = safeRead('/proc/cpuinfo')
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? 'unknown'
  const memKb = Number(/^MemTotal:\s+(\d+)/m.exec(safeRead('/proc/meminfo'))?.[1] ?? Number.NaN)
  return {nproc: availableParallelism(), cpu: model, memGiB: Math.round(memKb / 1024 / 1024), node: process.version, kernel: safeRead('/proc/sys/kernel/osrelease').trim()}
}

/** The 1, 5 and 15 minute load averages, as `uptime` prints them. */
export function loadLine() {
  return `load average: ${loadavg().map((value) => value.toFixed(2)).join(', ')}`
}

function safeRead(path) {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return ''
  }
}
