import { createHmac, randomBytes } from 'node:crypto'

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
export const TOTP_STEP_SECONDS = 30
const DIGITS = 6

export function base32Encode(bytes: Uint8Array): string {
  let bits = 0
  let value = 0
  let out = ''
  for (const byte of bytes) {
    value = (value << 8) | byte
    bits += 8
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31]
  return out
}

export function base32Decode(text: string): Buffer {
  const clean = text.replace(/[\s=]/g, '').toUpperCase()
  const bytes: number[] = []
  let bits = 0
  let value = 0
  for (const char of clean) {
    const index = ALPHABET.indexOf(char)
    if (index < 0) throw new Error('not base32')
    value = (value << 5) | index
    bits += 5
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 255)
      bits -= 8
    }
  }
  return Buffer.from(bytes)
}

/** A new 160-bit secret, base32 as authenticator apps take it. */
export function generateTotpSecret(): string {
  return base32Encode(randomBytes(20))
}

/** The RFC 6238 code of `key` for the 30-second step holding `atMs` (HOTP, RFC 4226, inside). */
export function totpCode(
  key: Uint8Array,
  atMs: number,
  options: { digits?: number; algorithm?: 'sha1' | 'sha256' | 'sha512' } = {},
): string {
  const digits = options.digits ?? DIGITS
  const counter = Buffer.alloc(8)
  counter.writeBigUInt64BE(BigInt(Math.floor(atMs / 1000 / TOTP_STEP_SECONDS)))
  const mac = createHmac(options.algorithm ?? 'sha1', key)
    .update(counter)
    .digest()
  const offset = mac[mac.length - 1]! & 0xf
  const binary = mac.readUInt32BE(offset) & 0x7fffffff
  return String(binary % 10 ** digits).padStart(digits, '0')
}

/**
 * The time step whose code `code` is, looking at this step and the one before and after (clock
 * drift); undefined when it is none of them.
 */
export function matchTotp(secret: string, code: string, atMs = Date.now()): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined
  const key = base32Decode(secret)
  const stepMs = TOTP_STEP_SECONDS * 1000
  const drift = [-1, 0, 1].find((d) => totpCode(key, atMs + d * stepMs) === code)
  return drift === undefined ? undefined : Math.floor(atMs / stepMs) + drift
}

export function verifyTotp(secret: string, code: string, atMs = Date.now()): boolean {
  return matchTotp(secret, code, atMs) !== undefined
}

/** The `otpauth://` URL an authenticator app reads from a QR code. */
export function otpauthUrl(secret: string, account: string, issuer = 'Backtrack'): string {
  const label = encodeURIComponent(`${issuer}:${account}`)
  const query = new URLSearchParams({
    secret,
    issuer,
    algorithm: 'SHA1',
    digits: String(DIGITS),
    period: String(TOTP_STEP_SECONDS),
  })
  return `otpauth://totp/${label}?${query}`
}
