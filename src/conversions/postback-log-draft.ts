import type { PostbackFindings } from './accept-postback.ts'
import type { PostbackWarning } from './conversion-money.ts'
import type { PostbackLogDraft } from './postback-log.ts'
import { maskedParams } from './postback-log-params.ts'

/** A call's log line before its outcome: when, who sent what, and what it was found to be about. */
export function postbackLogDraft(
  at: number,
  sender: { method: string; ip: string },
  found: PostbackFindings,
  warnings: readonly PostbackWarning[] = [],
): PostbackLogDraft {
  return {
    created_at: at,
    method: sender.method,
    ip: sender.ip,
    params: maskedParams(found.params),
    auth: found.auth,
    click_id: found.clickId,
    offer_id: found.offerId,
    advertiser_id: found.advertiserId,
    warnings: warnings.length === 0 ? null : JSON.stringify(warnings),
  }
}
