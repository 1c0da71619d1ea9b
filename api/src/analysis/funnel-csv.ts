// A funnel as CSV: one row per unit with its share, base, limits and signal, and the pooled share, φ̂ and τ̂² on each.
import type { FunnelAnswer } from '../contract/index.ts'

const columns = [
  'key',
  'numerator',
  'denominator',
  'value',
  'low95',
  'high95',
  'low998',
  'high998',
  'signal',
  'beyond95',
  'target',
  'phi',
  'tau2',
] as const

export function funnelCsv(answer: Pick<FunnelAnswer, 'units' | 'target' | 'phi' | 'tau2'>): string {
  const lines = answer.units.map((unit) =>
    [
      `"${unit.key.replaceAll('"', '""')}"`,
      unit.numerator,
      unit.denominator,
      unit.value,
      unit.low95,
      unit.high95,
      unit.low998,
      unit.high998,
      unit.signal,
      unit.beyond95,
      answer.target,
      answer.phi,
      answer.tau2,
    ].join(','),
  )
  return `${[columns.join(','), ...lines].join('\n')}\n`
}
