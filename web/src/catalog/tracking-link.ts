/** The click parameters a tracking link takes besides `aff_id` (see docs/api.md, "Tracking link"). */
export const CLICK_PARAMETERS = ['sub1', 'sub2', 'sub3', 'sub4', 'sub5', 'source'] as const
export type ClickParameter = (typeof CLICK_PARAMETERS)[number]

/**
 * An affiliate's tracking link: the offer's `tracking_url` with `{affiliate_id}` filled in and
 * the non-empty sub ids and source added. Values are percent-encoded except `{}` and `[]`, so an
 * affiliate's own tracker macro (`{clickid}`, `[CLICK_ID]`) stays as typed for that tracker to
 * fill in; the server decodes either form the same.
 */
export function trackingLink(
  trackingUrl: string,
  affiliateId: string,
  values: Partial<Record<ClickParameter, string>>,
): string {
  const base = trackingUrl.replace('{affiliate_id}', encodeValue(affiliateId))
  const added = CLICK_PARAMETERS.flatMap((name) => {
    const value = values[name]?.trim()
    return value ? [`${name}=${encodeValue(value)}`] : []
  })
  if (added.length === 0) return base
  return `${base}${base.includes('?') ? '&' : '?'}${added.join('&')}`
}

function encodeValue(value: string): string {
  return encodeURIComponent(value).replace(/%(7B|7D|5B|5D)/g, (code) => decodeURIComponent(code))
}
