import { createHmac } from 'node:crypto'

/**
 * The Standard Webhooks `webhook-signature` value: one `v1,<base64 HMAC-SHA256>` of
 * "id.timestamp.body" per secret (`whsec_` + base64 key), space-separated, so during a rotation a
 * receiver holding either secret can verify.
 */
export function webhookSignature(
  secrets: readonly string[],
  id: string,
  timestampSeconds: number,
  body: string,
): string {
  const content = `${id}.${timestampSeconds}.${body}`
  return secrets
    .map((secret) => {
      const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64')
      return `v1,${createHmac('sha256', key).update(content).digest('base64')}`
    })
    .join(' ')
}
