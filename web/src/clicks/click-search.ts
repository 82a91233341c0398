import { optionalChoice, optionalText } from '../shared/search-params.ts'

/** The click log's query as it lives in the URL: every filter of `GET /api/v1/clicks`. */
export interface ClickSearch {
  cursor?: string
  offer_id?: string
  affiliate_id?: string
  sub1?: string
  sub2?: string
  sub3?: string
  sub4?: string
  sub5?: string
  source?: string
  country?: string
  device?: string
  is_bot?: Flag
  is_unique?: Flag
  from?: string
  to?: string
}

export const FLAGS = ['true', 'false'] as const
export type Flag = (typeof FLAGS)[number]

/** The text filters, in the order the page shows them, with their labels. */
export const TEXT_FILTERS = [
  ['offer_id', 'Offer id'],
  ['affiliate_id', 'Affiliate id'],
  ['sub1', 'Sub 1'],
  ['sub2', 'Sub 2'],
  ['sub3', 'Sub 3'],
  ['sub4', 'Sub 4'],
  ['sub5', 'Sub 5'],
  ['source', 'Source'],
  ['country', 'Country'],
  ['device', 'Device'],
] as const satisfies ReadonlyArray<readonly [keyof ClickSearch, string]>

export function clickSearch(search: Record<string, unknown>): ClickSearch {
  const text = Object.fromEntries(
    TEXT_FILTERS.map(([key]) => [key, optionalText(search[key])]),
  ) as Pick<ClickSearch, (typeof TEXT_FILTERS)[number][0]>
  return {
    cursor: optionalText(search.cursor),
    ...text,
    is_bot: optionalChoice(optionalText(search.is_bot), FLAGS),
    is_unique: optionalChoice(optionalText(search.is_unique), FLAGS),
    from: optionalText(search.from),
    to: optionalText(search.to),
  }
}

/** The URL's query as the API takes it: flags as booleans, empty filters left out. */
export function clickQuery(search: ClickSearch) {
  const { is_bot, is_unique, ...rest } = search
  return {
    ...rest,
    is_bot: is_bot === undefined ? undefined : is_bot === 'true',
    is_unique: is_unique === undefined ? undefined : is_unique === 'true',
  }
}
