import { describe, expect, it } from 'vitest'
import { timeBuckets, trafficSeries } from '../../web/src/reports/time-series.ts'

const at = (text: string) => new Date(text).getTime() / 1000

describe('report time series', () => {
  it('has a point for every local hour of a day and every day of a range, both ends included', () => {
    const hours = timeBuckets('2026-12-01', '2026-12-01', 'hour')
    expect(hours).toHaveLength(24)
    expect(hours[0]).toBe(at('2026-12-01T00:00:00'))
    expect(hours[23]).toBe(at('2026-12-01T23:00:00'))
    const days = timeBuckets('2026-11-29', '2026-12-02', 'day')
    expect(days).toEqual(
      ['2026-11-29', '2026-11-30', '2026-12-01', '2026-12-02'].map((day) => at(`${day}T00:00:00`)),
    )
  })

  it('puts each row in its bucket, adds rows of one bucket in two currencies, and zero-fills the rest', () => {
    const rows = [
      { day: '2026-12-01', currency: 'USD', clicks: 3, conversions: 1 },
      { day: '2026-12-01', currency: 'EUR', clicks: 2, conversions: 0 },
      { day: '2026-12-03', currency: 'USD', clicks: 1, conversions: 1 },
    ]
    expect(trafficSeries(rows, '2026-12-01', '2026-12-03', 'day')).toEqual({
      times: timeBuckets('2026-12-01', '2026-12-03', 'day'),
      clicks: [5, 0, 1],
      conversions: [1, 0, 1],
    })
  })
})
