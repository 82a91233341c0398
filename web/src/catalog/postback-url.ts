/** Parameters an advertiser's postback can carry (the inbound postback's canonical names). */
export const POSTBACK_PARAMETERS = [
  { name: 'click_id', label: 'Click id', required: true },
  { name: 'txid', label: 'Transaction id (dedup)', required: false },
  { name: 'amount', label: 'Sale amount', required: false },
  { name: 'status', label: 'Status', required: false },
  { name: 'goal', label: 'Goal', required: false },
  { name: 'currency', label: 'Currency', required: false },
] as const
export type PostbackParameter = (typeof POSTBACK_PARAMETERS)[number]['name']

/**
 * The URL an advertiser fires: `base` with each chosen parameter set to the advertiser
 * platform's macro for it (`{click_id}` unless they said another), and the token last (`{token}` for a role
 * that does not see it). Macros are
 * written as typed: the advertiser's platform replaces them before calling.
 */
export function postbackUrl(
  base: string,
  token: string | undefined,
  chosen: readonly { name: string; macro: string }[],
): string {
  const parameters = chosen.map(({ name, macro }) => `${name}=${encodeMacro(macro || `{${name}}`)}`)
  // A role that may not see the token sees where it goes.
  const tokenValue = token === undefined ? '{token}' : encodeURIComponent(token)
  return `${base}?${[...parameters, `token=${tokenValue}`].join('&')}`
}

/** The part before `?` of the advertiser's `postback_url`: the server's public postback address. */
export function postbackBase(postbackUrl: string | undefined, fallbackOrigin: string): string {
  return postbackUrl?.split('?')[0] ?? `${fallbackOrigin}/postback`
}

function encodeMacro(macro: string): string {
  return encodeURIComponent(macro).replace(/%(7B|7D|5B|5D|24)/g, (code) => decodeURIComponent(code))
}

/** What the server's answer to a postback means, in words. */
export function postbackVerdict(
  status: number,
  body: {
    result?: string
    conversion_id?: string
    status?: string
    reason?: string
    error?: { code?: string; message?: string }
  },
): { ok: boolean; text: string } {
  const id = body.conversion_id
  switch (body.result) {
    case 'accepted':
      return { ok: true, text: `Accepted: conversion ${id} recorded as ${body.status}.` }
    case 'updated':
      return { ok: true, text: `Updated: conversion ${id} is now ${body.status}.` }
    case 'duplicate':
      return {
        ok: true,
        text: `Duplicate: conversion ${id} was already recorded${reasonText(body.reason)}; nothing changed.`,
      }
    case 'rejected':
      return {
        ok: false,
        text: `Recorded as rejected (conversion ${id})${reasonText(body.reason)}.`,
      }
  }
  const code = body.error?.code ?? 'unknown'
  const message = body.error?.message ?? `the server answered ${status}`
  return { ok: false, text: `Refused (${status} ${code}): ${message}.` }
}

const REASONS: Record<string, string> = {
  outside_window: "the click is older than the offer's conversion window",
  duplicate_txid: 'this transaction id was used before',
  goal_already_converted: 'this click has converted on this goal already',
}

function reasonText(reason: string | undefined): string {
  if (!reason) return ''
  return `: ${REASONS[reason] ?? reason}`
}
