import { describe, expect, it } from 'vitest'
import { counted, formatEpc, formatMoney, formatRate } from '../../web/src/reports/figures.ts'

describe('report figures', () => {
  it('formats money from its decimal string exactly, where a float would round', () => {
    expect(formatMoney('90071992547409.93', 'USD', { locale: 'en-US' })).toBe(
      '$90,071,992,547,409.93',
    )
    expect(formatMoney('12.50', 'EUR', { locale: 'en-US' })).toBe('€12.50')
    expect(formatMoney('1500', 'JPY', { locale: 'en-US' })).toBe('¥1,500')
  })

  it('shows unknown money (mixed currencies) as a dash', () => {
    expect(formatMoney(null, 'USD')).toBe('—')
    expect(formatMoney('1.00', null)).toBe('—')
  })

  it('keeps sub-cent earnings per click', () => {
    expect(formatEpc(0.0438, 'USD', 'en-US')).toBe('$0.0438')
    expect(formatEpc(2, 'USD', 'en-US')).toBe('$2.00')
  })

  it('reads a conversion rate fraction as a percentage', () => {
    expect(formatRate(0.125, 'en-US')).toBe('12.5%')
    expect(formatRate(0, 'en-US')).toBe('0%')
    expect(formatRate(1 / 3, 'en-US')).toBe('33.33%')
  })

  it('counts with the right noun', () => {
    expect(counted(1, 'click')).toBe('1 click')
    expect(counted(0, 'conversion')).toBe('0 conversions')
  })
})
