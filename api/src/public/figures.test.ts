// The portal's derived figures against hand-computed answers: headline and changes, catalogue milestone, cost per
// transaction, provisional periods, and the message catalogue in every language.
import { IntlMessageFormat } from 'intl-messageformat'
import { describe, expect, it } from 'vitest'
import type { PublicValue } from '../contract/index.ts'
import { change, costPerTransaction, coveragePassed, headline } from './figures.ts'
import { type PortalKey, portalMessages } from './messages.ts'
import { type PublicCell, periodEnd } from './published.ts'

const value = (period: string, number: number | null, extra: Partial<PublicValue> = {}): PublicValue => ({
  period,
  value: number,
  ci_low: null,
  ci_high: null,
  transactions: number === null ? null : 100,
  suppressed: number === null,
  provisional: false,
  ...extra,
})

describe('headline', () => {
  it('takes the latest complete, published period, the one before it and the same period a year earlier', () => {
    const months = Array.from({ length: 14 }, (_, index) => {
      const month = new Date(Date.UTC(2025, index, 1)).toISOString().slice(0, 10)
      return value(month, 0.5 + index / 100)
    })
    months[13] = { ...(months[13] as PublicValue), provisional: true }
    const found = headline(months, 'month')
    expect(found?.current.period).toBe('2026-01-01')
    expect(found?.previous?.period).toBe('2025-12-01')
    expect(found?.yearEarlier?.period).toBe('2025-01-01')
    expect(change(found?.current as PublicValue, found?.previous ?? null, 'share')?.amount).toBeCloseTo(1, 10)
    expect(change(value('2026-01-01', 110), value('2025-01-01', 100), 'count')).toEqual({
      amount: expect.closeTo(0.1, 10),
      kind: 'relative',
    })
  })

  it('skips a suppressed latest period and reports a suppressed previous one as no change', () => {
    const found = headline([value('2025-01-01', 0.4), value('2025-02-01', null), value('2025-03-01', null)], 'month')
    expect(found?.current.period).toBe('2025-01-01')
    expect(headline([value('2025-01-01', null)], 'month')).toBeNull()
    expect(change(value('2025-03-01', 0.5), value('2025-02-01', null), 'share')).toBeNull()
  })
})

describe('catalogue coverage milestone', () => {
  it('is the day the share of services online first reaches the threshold', () => {
    // 10 services, 9 online: 90 % is reached with the 9th date.
    const days = ['2019-01-01', '2019-02-01', '2019-03-01', '2019-04-01', '2019-05-01', '2019-06-01']
    const register = [...days, '2020-01-01', '2020-06-01', '2021-03-01', null]
    expect(coveragePassed(register, 0.9)).toBe('2021-03-01')
    expect(coveragePassed(register, 0.95)).toBeNull()
  })
})

describe('cost per transaction', () => {
  const cell = (code: string, number: number | null, period = '2025-01-01'): PublicCell => ({
    ...value(period, number),
    dimension: 'channel',
    code,
    dispersion: null,
  })
  const costs = [
    { channel: 'portal', cost: 40, currency: 'KZT', source: 'demo' },
    { channel: 'tson', cost: 2000, currency: 'KZT', source: 'demo' },
  ]

  it('weights each channel’s cost by its published volume in the latest complete period', () => {
    const found = costPerTransaction([cell('portal', 1, '2024-01-01'), cell('portal', 300), cell('tson', 100)], costs)
    // (300 × 40 + 100 × 2000) ÷ 400 = 530
    expect(found).toEqual({ state: 'known', amount: 530, currency: 'KZT', period: '2025-01-01', sources: ['demo'] })
  })

  it('is not given when a channel is suppressed, has no cost, or nothing is published', () => {
    expect(costPerTransaction([cell('portal', 300), cell('tson', null)], costs).state).toBe('suppressed')
    expect(costPerTransaction([cell('portal', 300), cell('kiosk', 5)], costs)).toEqual({
      state: 'unknown',
      period: '2025-01-01',
      channels: ['kiosk'],
    })
    expect(costPerTransaction([], costs).state).toBe('not_published')
  })
})

describe('periods', () => {
  it('end on the last day of their interval', () => {
    expect(periodEnd('2024-02-01', 'month')).toBe('2024-02-29')
    expect(periodEnd('2024-04-01', 'quarter')).toBe('2024-06-30')
    expect(periodEnd('2024-01-01', 'year')).toBe('2024-12-31')
    expect(periodEnd('2024-12-30', 'week')).toBe('2025-01-05')
    expect(periodEnd('2024-12-30', 'day')).toBe('2024-12-30')
  })
})

describe('portal messages', () => {
  const keys = Object.keys(portalMessages.en) as PortalKey[]
  it('exist in Kazakh, Russian and English, parse as ICU, and take the same values', () => {
    for (const lang of ['kk', 'ru', 'en'] as const) {
      expect(Object.keys(portalMessages[lang]).sort()).toEqual([...keys].sort())
      for (const key of keys) {
        const text = portalMessages[lang][key]
        expect(text.length, `${lang}.${key}`).toBeGreaterThan(0)
        const names = (message: string) => [...message.matchAll(/\{(\w+)[,}]/g)].map((match) => match[1]).sort()
        expect(names(text), `${lang}.${key}`).toEqual(names(portalMessages.en[key]))
        expect(() => new IntlMessageFormat(text, lang)).not.toThrow()
      }
    }
  })

  it('use Russian plural forms for 1, 3 and 5', () => {
    const format = (count: number) => new IntlMessageFormat(portalMessages.ru.versionCount, 'ru').format({ count })
    expect([1, 3, 5, 21].map(format)).toEqual(['1 версия', '3 версии', '5 версий', '21 версия'])
    const revised = (count: number) => new IntlMessageFormat(portalMessages.ru.revised, 'ru').format({ count })
    expect([0, 1, 2, 11].map(revised)).toEqual([
      'периоды не пересмотрены',
      'пересмотрен 1 период',
      'пересмотрено 2 периода',
      'пересмотрено 11 периодов',
    ])
  })
})
