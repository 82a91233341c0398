// CPU time from /proc: on a noisy two-core machine, where each side's CPU went says more than
// wall time alone, and shows whether a run was short of CPU or waiting.
import { readFileSync } from 'node:fs'

const TICKS_PER_SECOND = 100

/** User + system CPU seconds a process has used so far (0 once it is gone). */
export function processCpuSeconds(pid: number): number {
  return cpuSecondsOf(`/proc/${pid}/stat`)
}

function cpuSecondsOf(statFile: string): number {
  try {
    const stat = readFileSync(statFile, 'utf8')
    // Fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND
  } catch {
    return 0
  }
}

/** Idle and total CPU seconds of the whole machine so far, summed over its cores. */
export function machineCpuSeconds(): { idle: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!
  const ticks = line.trim().split(/\s+/).slice(1).map(Number)
  // user nice system idle iowait irq softirq steal: idle and iowait are the unused time.
  const total = ticks.slice(0, 8).reduce((sum, value) => sum + value, 0)
  return { idle: (ticks[3]! + ticks[4]!) / TICKS_PER_SECOND, total: total / TICKS_PER_SECOND }
}

/** Sums the CPU seconds of a changing set of processes between `start()` and `stop()`. */
export class CpuMeter {
  readonly #pids: () => Promise<number[]> | number[]
  readonly #start = new Map<number, number>()
  #machine = machineCpuSeconds()

  constructor(pids: () => Promise<number[]> | number[]) {
    this.#pids = pids
  }

  async start(): Promise<void> {
    for (const pid of await this.#pids()) this.#start.set(pid, processCpuSeconds(pid))
    this.#machine = machineCpuSeconds()
  }

  /** CPU seconds the processes used since start (a process that appeared since counts whole). */
  async stop(): Promise<{ seconds: number; machineIdleShare: number }> {
    const machine = machineCpuSeconds()
    let seconds = 0
    for (const pid of await this.#pids()) {
      seconds += processCpuSeconds(pid) - (this.#start.get(pid) ?? 0)
    }
    const idle = machine.idle - this.#machine.idle
    const total = machine.total - this.#machine.total
    return { seconds, machineIdleShare: total > 0 ? idle / total : 0 }
  }
}

/** CPU seconds of a process's main thread (its event loop) and of all its other threads. */
export function threadCpuSeconds(pid: number): { main: number; others: number } {
  const main = cpuSecondsOf(`/proc/${pid}/task/${pid}/stat`)
  return { main, others: processCpuSeconds(pid) - main }
}
