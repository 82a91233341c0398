import type { PostbackResult } from './postback-results.ts'

/** What each result of an inbound postback call means, for people. */
export const RESULT_WORDS: Record<PostbackResult, string> = {
  accepted: 'Accepted: a new conversion was recorded',
  duplicate: 'Duplicate: nothing changed and nothing was sent',
  updated: "Updated: the conversion's status changed",
  rejected: 'Rejected: recorded as rejected',
  error: 'Refused: no conversion was recorded',
}

// The reasons a call carries: the duplicate and rejection reasons, and the error codes /postback answers with.
const REASON_WORDS: Record<string, string> = {
  duplicate_txid: 'the same transaction id was already reported with this status',
  goal_already_converted: 'this goal already converted on this click and may not convert twice',
  replayed_webhook: 'a signed call with this webhook id was already received',
  outside_window: "the click is older than the offer's conversion window",
  missing_click_id: 'the call had no click id',
  invalid_click_id: 'the click id is not one Backtrack gave (forged, cut or garbled)',
  unknown_click: 'no click with this id was recorded',
  click_purged: 'the click was deleted by retention before the conversion came',
  invalid_token: "the token is not the advertiser's postback token",
  invalid_signature: 'the signature did not match the advertiser’s signing secret',
  unauthorized: 'the call had no token or signature',
  ip_not_allowed: "the caller's address is not in the advertiser's allowlist",
  unknown_goal: 'the offer has no goal by this name',
  invalid_status: 'the status is not one Backtrack knows',
  invalid_status_transition:
    'the conversion cannot move to this status (for example out of rejected)',
  invalid_amount: 'the amount is not a valid decimal for the currency',
  currency_mismatch: "the currency differs from the offer's",
  duplicate_parameter: 'a parameter was given twice with different values',
  validation_failed: 'a parameter was not valid',
  body_too_large: 'the body was too large',
  unsupported_content_type: 'the body was neither JSON nor a form',
  rate_limited: 'too many refused calls a minute from this address',
  conflict: 'the same call was being processed at the same moment',
  unavailable: 'the database was not answering; the advertiser should call again',
  internal_error: 'an error in Backtrack (logged)',
}

/** A call's reason code in words, with the code kept for searching; null when there is none. */
export function reasonInWords(reason: string | null): string | null {
  if (reason === null) return null
  const words = REASON_WORDS[reason]
  return words ? `${words} (${reason})` : reason
}
