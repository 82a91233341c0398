/** What the audit log records changes of (docs/api.md "Audit log"), for its entity filter. */
export const AUDIT_ENTITIES = [
  'offer',
  'advertiser',
  'affiliate',
  'postback',
  'conversion',
  'user',
  'api_key',
  'access_request',
  'affiliate_payout',
  'fraud_settings',
] as const
