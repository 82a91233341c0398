import { describe, expect, it } from 'vitest'
import {
  currencyDigits,
  formatDecimal,
  parseDecimal,
  parsePercent,
  percentOf,
} from '../../src/shared/money.ts'

describe('money', () => {
  it('parses decimals exactly into minor units', () => {
    expect(parseDecimal('0.1', 2) + parseDecimal(0.2, 2)).toBe(30)
    expect(formatDecimal(parseDecimal('0.1', 2) + parseDecimal('0.2', 2), 2)).toBe(0.3)
    expect(parseDecimal('999999999999.99', 2)).toBe(99999999999999)
    expect(parseDecimal('10.00', 0)).toBe(10)
    expect(parseDecimal(' 007.5 ', 2)).toBe(750)
  })

  it.each([
    ['-1'],
    ['NaN'],
    ['Infinity'],
    ['0x10'],
    ['1e3'],
    ['1,5'],
    [''],
    ['1.'],
    ['.5'],
    ['1234567890123'],
    ['1.001'],
    [Number.NaN],
    [Number.POSITIVE_INFINITY],
    [-0.5],
    [1e21],
    [true],
    [null],
    [{}],
  ])('refuses %s', (value) => {
    expect(() => parseDecimal(value, 2)).toThrow()
  })

  it('knows minor units per currency', () => {
    expect(currencyDigits('USD')).toBe(2)
    expect(currencyDigits('JPY')).toBe(0)
    expect(currencyDigits('BHD')).toBe(3)
    expect(currencyDigits('XYZ')).toBeUndefined()
  })

  it('takes percentages with rounding half up', () => {
    expect(percentOf(1000, parsePercent('7.5'))).toBe(75)
    expect(percentOf(1, parsePercent(50))).toBe(1)
    expect(percentOf(333, parsePercent('33.3333'))).toBe(111)
    expect(() => parsePercent(1000.5)).toThrow()
  })

  it('keeps sums exact over thousands of random amounts and percentages', () => {
    let seed = 42
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31
      return seed / 2 ** 31
    }
    let sumMinor = 0n
    let sumText = 0n
    for (let i = 0; i < 5000; i++) {
      const cents = Math.floor(random() * 10_000_000)
      const text = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`
      const percentScaled = Math.floor(random() * 1_000_000)
      const payout = percentOf(parseDecimal(text, 2), percentScaled)
      sumMinor += BigInt(payout)
      // Reference: the same product in exact rational arithmetic, rounded half up.
      const product = BigInt(cents) * BigInt(percentScaled)
      sumText += (product + 500_000n) / 1_000_000n
    }
    expect(sumMinor).toBe(sumText)
  })
})
