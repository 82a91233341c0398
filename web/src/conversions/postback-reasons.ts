import type { PostbackResult } from './postback-results.ts'

/** What each result of an inbound postback call means, for people. */
export const RESULT_WORDS: Record<PostbackResult, string> = {
  accepted: 'Accepted: a new conversion was recorded',
  duplicate: 'Duplicate: nothing changed and nothing was sent',
  updated: "Updated: the conversion's status changed",
  rejected: 'Rejected: recorded as rejected',
  error: 'Refused: no conversion was recorded',
}

/**
 * Why a postback was refused or not counted, in words an advertiser's developer can act on: the
 * answer to "why was my postback refused?". The duplicate and rejection reasons, and the error
 * codes /postback answers with.
 */
export const REASON_WORDS: Readonly<Record<string, string>> = {
  missing_click_id: 'No click id: send click_id (or clickid, cid, subid).',
  invalid_click_id: 'The click id is not one Backtrack issued: check it is passed on unchanged.',
  unknown_click: 'No click with this id was recorded, or its offer no longer exists.',
  click_purged: 'The click is older than the click retention and was deleted.',
  invalid_token: "Wrong or missing token: it is not the advertiser's postback token.",
  invalid_signature:
    'The signature does not match: sign "webhook-id.webhook-timestamp.body" with your token.',
  unauthorized: 'The call had no token or signature.',
  ip_not_allowed: 'Sent from an address outside your IP allowlist.',
  unknown_goal: "The goal is not one of the offer's goals.",
  invalid_amount: 'A money value is malformed, negative or has too many decimals.',
  missing_revenue: 'The offer takes its revenue from your postback: send revenue (or payout).',
  currency_mismatch: "The currency is not the offer's.",
  unknown_currency: 'The currency is not an ISO 4217 code.',
  invalid_status: 'The status is not one Backtrack knows.',
  duplicate_parameter: 'A parameter was sent twice with different values.',
  validation_failed: 'A parameter is malformed (for example a value that is too long).',
  invalid_status_transition: 'That status change is not allowed (a rejected conversion is final).',
  duplicate_txid: 'Already reported with this txid and status: nothing changed.',
  goal_already_converted: 'This click already converted on this goal: counted once.',
  outside_window: "Recorded as rejected: the click is older than the offer's conversion window.",
  replayed_webhook: 'A signed call with a webhook-id already seen: answered as before.',
  body_too_large: 'The body was too large.',
  unsupported_content_type: 'The body was neither JSON nor a form.',
  rate_limited: 'Too many refused calls from this address: wait and retry.',
  conflict: 'The same call was being processed at the same moment: send it again.',
  unavailable: 'The database was not answering: call again later.',
  internal_error: 'An error in Backtrack (logged).',
}

/**
 * A log line's reason in words with its code beside them (so a person can search for the code);
 * else the server's message, else the code; a dash when there is no reason.
 */
export function reasonInWords(reason: string | null, message: string | null = null): string {
  if (reason === null) return '—'
  const words = REASON_WORDS[reason]
  return words ? `${words} (${reason})` : (message ?? reason)
}
