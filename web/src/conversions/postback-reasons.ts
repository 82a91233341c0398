/**
 * Why a postback was refused or not counted, in words an advertiser's developer can act on:
 * the answer to "why was my postback refused?". Codes not listed show the server's message.
 */
export const REASON_WORDS: Readonly<Record<string, string>> = {
  missing_click_id: 'No click id: send click_id (or clickid, cid, subid).',
  invalid_click_id: 'The click id is not one Backtrack issued: check it is passed on unchanged.',
  unknown_click: "The click's offer no longer exists.",
  click_purged: 'The click is older than the click retention and was deleted.',
  invalid_token: 'Wrong or missing token: copy the postback URL from the Integration page.',
  invalid_signature:
    'The signature does not match: sign "webhook-id.webhook-timestamp.body" with your token.',
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
  duplicate_txid: 'Already recorded with this txid and status: nothing changed.',
  goal_already_converted: 'This click already converted on this goal: counted once.',
  outside_window: "Recorded as rejected: the click is older than the offer's conversion window.",
  replayed_webhook: 'A signed call with a webhook-id already seen: answered as before.',
  rate_limited: 'Too many refused calls from this address: wait and retry.',
}

/** The reason of a log line in words, else the server's message, else the code. */
export function reasonInWords(reason: string | null, message: string | null): string {
  if (reason === null) return '—'
  return REASON_WORDS[reason] ?? message ?? reason
}
