// Interleaved timing for fair ratios: steps run A B A B … in one process, reported as min and median.
import { cpus, loadavg, totalmem } from 'node:os'

export interface Sample {
  /** Elapsed seconds. */
  wall: number
  /** CPU seconds of this process (Node and the embedded engine's threads, merges included). */
  cpu: number
}

export interface Step {
  name: string
  /** Untimed preparation before every run (emptying the tables the step writes). */
  before?: () => Promise<unknown>
  run: () => Promise<unknown>
}

export async function measure(run: () => Promise<unknown>): Promise<Sample> {
  const cpu = process.cpuUsage()
  const started = performance.now()
  await run()
  const used = process.cpuUsage(cpu)
  return { wall: (performance.now() - started) / 1000, cpu: (used.user + used.system) / 1e6 }
}

/** Runs every step once per round, in the same order, so that a slower moment of the machine hits them alike. */
export async function interleave(
  rounds: number,
  steps: Step[],
  onSample?: (step: string, round: number, sample: Sample) => void,
): Promise<Map<string, Sample[]>> {
  const samples = new Map<string, Sample[]>(steps.map((step) => [step.name, []]))
  for (let round = 0; round < rounds; round++) {
    for (const step of steps) {
      await step.before?.()
      const sample = await measure(step.run)
      samples.get(step.name)?.push(sample)
      onSample?.(step.name, round, sample)
    }
  }
  return samples
}

export const min = (values: number[]) => Math.min(...values)
export const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2
}

export const rate = (rows: number, seconds: number) => Math.round(rows / seconds).toLocaleString('en')

/** The machine and what else ran on it, for the header of a results file. */
export function conditions(started: number[]): string {
  const [one, five, fifteen] = loadavg()
  return [
    `${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores (${cpus()[0]?.model.trim()}), `,
    `${Math.round(totalmem() / 1024 ** 3)} GiB, Node ${process.version}, embedded ClickHouse (chdb). `,
    `Load average ${started.map((value) => value.toFixed(1)).join(' / ')} (1/5/15 min) at the start, `,
    `${[one, five, fifteen].map((value) => (value ?? 0).toFixed(1)).join(' / ')} at the end: `,
    'the machine is shared, and other work ran alongside, so only ratios from the same run compare.',
  ].join('')
}
