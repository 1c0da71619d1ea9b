// The fuzz test's own tools: the same seed gives the same requests, and the leak check finds what it looks for.
import { describe, expect, it } from 'vitest'
import { leakIn, seeded } from './fuzz-inputs.ts'

describe('seeded', () => {
  it('repeats its sequence for a seed and differs between seeds', () => {
    const draw = (seed: number) => {
      const random = seeded(seed)
      return Array.from({ length: 20 }, () => random.next())
    }
    expect(draw(14)).toEqual(draw(14))
    expect(draw(14)).not.toEqual(draw(15))
    for (const value of draw(7)) expect(value >= 0 && value < 1).toBe(true)
  })
})

describe('leakIn', () => {
  const request = { url: '/api/v1/metrics/volume/series?region=75' }
  it.each([
    ['{"message":"Code: 62. DB::Exception: Syntax error"}', 'SQL'],
    ['{"message":"SELECT count() FROM events WHERE region = 75"}', 'SQL'],
    ['{"message":"bad {region:String}"}', 'SQL'],
    ['{"stack":"Error: x\\n    at parse (filters.js:10:5)"}', 'stack trace'],
    ['Error: x\n    at parse (filters.js:10:5)', 'stack trace'],
    ['{"message":"ENOENT: open \'/tmp/qyzmet-ingest-spool/x.csv\'"}', 'file path'],
    ['{"message":"cannot find /work/main/api/src/app.ts"}', 'file path'],
  ])('finds it in %s', (body, kind) => {
    expect(leakIn(body, request)).toMatch(new RegExp(`^${kind} in the body`))
  })

  it('passes ordinary answers, and the bad value a message echoes back', () => {
    expect(leakIn('{"rows":[{"period":"2025-01-01","value":0.5}]}', request)).toBeNull()
    const echoed = {
      url: `/api/v1/metrics/${encodeURIComponent('/tmp/x')}/series?by=${encodeURIComponent('{a:String}')}`,
    }
    expect(leakIn('{"message":"unknown metric \\"/tmp/x\\" and dimension {a:String}"}', echoed)).toBeNull()
  })
})
