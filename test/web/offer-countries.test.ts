import { describe, expect, it } from 'vitest'
import { countriesText } from '../../web/src/catalog/offer-countries.ts'

describe("an offer's countries for an affiliate", () => {
  it('names the allowed countries, or every country but the blocked ones, or every country', () => {
    expect(countriesText({ countries: { allow: ['US', 'CA'] } })).toBe('US, CA')
    expect(countriesText({ countries: { block: ['RU'] } })).toBe('All but RU')
    expect(countriesText({ devices: { allow: ['mobile'] } })).toBe('All countries')
    expect(countriesText(null)).toBe('All countries')
  })
})
