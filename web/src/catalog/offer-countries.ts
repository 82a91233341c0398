import type { Offer } from '../api/api-types.ts'

/**
 * Where an offer takes traffic from, as an affiliate reads it before promoting it: the allowed
 * countries, else every country but the blocked ones, else every country.
 */
export function countriesText(targeting: Offer['targeting']): string {
  const countries = targeting?.countries
  if (countries?.allow?.length) return countries.allow.join(', ')
  if (countries?.block?.length) return `All but ${countries.block.join(', ')}`
  return 'All countries'
}
