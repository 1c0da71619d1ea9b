// A share by region carries intervals widened by the regions' over-dispersion φ̂, recomputed here from raw events.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bearer, openTestApi, type TestApi } from '../testing.ts'

let api: TestApi
beforeAll(async () => {
  api = await openTestApi(60_000)
})
afterAll(() => api.close())

const z = 1.959964

/** Wilson's interval for x of n on an effective base (n/φ), written out here apart from the code under test. */
function wilson(x: number, base: number, phi = 1): [number, number] {
  const p = x / base
  const n = base / phi
  const centre = p + (z * z) / (2 * n)
  const spread = z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))
  return [(centre - spread) / (1 + (z * z) / n), (centre + spread) / (1 + (z * z) / n)]
}

describe('intervals of a share by region', () => {
  it('are those of the effective base n/φ̂, φ̂ the winsorised mean squared z of the regions', async () => {
    const raw = await api.store.rows<{ region: string; x: string; n: string }>(
      'test:dispersion',
      `SELECT region, toString(countIf(status = 'completed' AND channel IN (SELECT code FROM channels FINAL WHERE kind = 'online'))) AS x,
              toString(countIf(status = 'completed')) AS n
       FROM events WHERE occurred_on BETWEEN '2025-01-01' AND '2025-12-31' GROUP BY region ORDER BY region`,
    )
    const units = raw.map((row) => ({ region: row.region, x: Number(row.x), n: Number(row.n) }))
    const pooled = units.reduce((sum, unit) => sum + unit.x, 0) / units.reduce((sum, unit) => sum + unit.n, 0)
    const zs = units.map((unit) => (unit.x / unit.n - pooled) / Math.sqrt((pooled * (1 - pooled)) / unit.n))
    const sorted = [...zs].sort((a, b) => a - b)
    const cut = Math.floor(zs.length / 10)
    const [low, high] = [sorted[cut] as number, sorted[zs.length - 1 - cut] as number]
    const phi = zs.reduce((sum, value) => sum + Math.min(high, Math.max(low, value)) ** 2, 0) / zs.length
    expect(phi).toBeGreaterThan(1)

    const response = await api.app.inject({
      url: '/api/v1/metrics/online_share/breakdown?by=region&from=2025-01-01&to=2025-12-31',
      headers: bearer(api.tokens.analyst),
    })
    expect(response.statusCode, response.body).toBe(200)
    const answer = response.json<{
      dispersion: { phi: number; units: number; applied: boolean }
      rows: { region: string; value: number; ci_low: number; ci_high: number }[]
    }>()
    expect(answer.dispersion).toEqual({ phi: expect.closeTo(phi, 9), units: units.length, applied: true })
    for (const unit of units) {
      const row = answer.rows.find((item) => item.region === unit.region)
      const [lower, upper] = wilson(unit.x, unit.n, phi)
      expect(row?.value).toBeCloseTo(unit.x / unit.n, 12)
      expect(row?.ci_low).toBeCloseTo(lower, 9)
      expect(row?.ci_high).toBeCloseTo(upper, 9)
      // Wider than the binomial interval by about √φ̂.
      const [binomialLow, binomialHigh] = wilson(unit.x, unit.n)
      expect((upper - lower) / (binomialHigh - binomialLow)).toBeGreaterThan(Math.sqrt(phi) * 0.8)
    }

    // The CSV carries the same widened intervals.
    const csv = await api.app.inject({
      url: '/api/v1/metrics/online_share/breakdown?by=region&from=2025-01-01&to=2025-12-31&format=csv',
      headers: bearer(api.tokens.analyst),
    })
    const [header, ...lines] = csv.body.trim().split('\n')
    const columns = (header ?? '').split(',').map((name) => name.replaceAll('"', ''))
    const first = (lines[0] ?? '').split(',').map((cell) => cell.replaceAll('"', ''))
    const unit = units.find((item) => item.region === first[columns.indexOf('region')])
    expect(Number(first[columns.indexOf('ci_low')])).toBeCloseTo(wilson(unit?.x ?? 0, unit?.n ?? 1, phi)[0], 9)
  })

  it('stay binomial for a breakdown by another dimension, and the funnel answers CSV too', async () => {
    const byChannel = await api.app.inject({
      url: '/api/v1/metrics/online_share/breakdown?by=channel&from=2025-01-01&to=2025-12-31',
      headers: bearer(api.tokens.analyst),
    })
    expect(byChannel.json()).not.toHaveProperty('dispersion')
    const csv = await api.app.inject({
      url: '/api/v1/metrics/online_share/funnel?from=2025-01-01&to=2025-12-31&format=csv',
      headers: bearer(api.tokens.analyst),
    })
    expect(csv.statusCode).toBe(200)
    expect(csv.headers['content-type']).toContain('text/csv')
    const [header, ...lines] = csv.body.trim().split('\n')
    expect(header).toBe(
      'key,numerator,denominator,value,low95,high95,low998,high998,signal,beyond95,model,target,phi,tau2,tau',
    )
    expect(lines.length).toBeGreaterThan(15)
    const parquet = await api.app.inject({
      url: '/api/v1/metrics/online_share/funnel?period=last_12m&format=parquet',
      headers: bearer(api.tokens.analyst),
    })
    expect(parquet.statusCode).toBe(400)
    expect(parquet.json()).toMatchObject({ parameter: 'format' })
    // The multiplicative model on request: each unit's limits p₀ ± 3.090232·√φ̂·s, from its own base.
    const multiplicative = await api.app.inject({
      url: '/api/v1/metrics/online_share/funnel?from=2025-01-01&to=2025-12-31&model=multiplicative',
      headers: bearer(api.tokens.analyst),
    })
    expect(multiplicative.statusCode, multiplicative.body).toBe(200)
    const answer = multiplicative.json()
    expect(answer.model).toBe('multiplicative')
    for (const unit of answer.units) {
      const s = Math.sqrt((answer.target * (1 - answer.target)) / unit.denominator)
      expect(unit.high998).toBeCloseTo(Math.min(1, answer.target + 3.090232 * Math.sqrt(answer.phi) * s), 9)
    }
    const bad = await api.app.inject({
      url: '/api/v1/metrics/online_share/funnel?period=last_12m&model=random',
      headers: bearer(api.tokens.analyst),
    })
    expect(bad.statusCode).toBe(400)
    expect(bad.json()).toMatchObject({ parameter: 'model' })
  })
})
