// A funnel as CSV: one row per unit with its share, base, limits and signal, and the model, pooled share, φ̂ and τ̂ on each.
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
  'model',
  'target',
  'phi',
  'tau2',
  'tau',
] as const

export function funnelCsv(answer: Pick<FunnelAnswer, 'units' | 'model' | 'target' | 'phi' | 'tau2' | 'tau'>): string {
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
      answer.model,
      answer.target,
      answer.phi,
      answer.tau2,
      answer.tau,
    ].join(','),
  )
  return `${[columns.join(','), ...lines].join('\n')}\n`
}
