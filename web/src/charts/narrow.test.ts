// The narrow variant rides along as an ECharts media query; the wide option stays the base, unchanged.
import { describe, expect, it } from 'vitest'
import { narrowWidth, withNarrow } from './narrow.ts'

describe('narrow variants', () => {
  it('keeps the option as the base and applies the variant below the narrow width', () => {
    const option = { grid: { left: 270 }, series: [{ type: 'bar' }] }
    const responsive = withNarrow(option, { grid: { left: 120 } })
    expect(responsive.baseOption).toBe(option)
    expect(responsive.media).toEqual([{ query: { maxWidth: narrowWidth }, option: { grid: { left: 120 } } }])
  })
})
