import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

/** A random, URL-safe secret from the CSPRNG, with an optional recognisable prefix. */
export function generateSecret(prefix = '', bytes = 32): string {
  return prefix + randomBytes(bytes).toString('base64url')
}

/** A Standard Webhooks signing secret: `whsec_` and base64 key bytes. */
export function generateSigningSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`
}

/**
 * API keys are 256-bit random strings, so a fast hash is enough to store them: there is nothing
 * for a slow hash to protect against that the key's own entropy does not already.
 */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex')
}

/** Compares two secrets in constant time; hashing first makes unequal lengths safe too. */
export function secretsEqual(a: string, b: string): boolean {
  const left = createHash('sha256').update(a).digest()
  const right = createHash('sha256').update(b).digest()
  return timingSafeEqual(left, right)
}
