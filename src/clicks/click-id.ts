import { createHmac, randomFillSync } from 'node:crypto'

/**
 * A click id carries what attribution needs — offer, affiliate, time — and a MAC under a server
 * secret, so a forged or mistyped id is refused without a database read, and a conversion can be
 * attributed even when the click row was never written (a crash inside the group-commit window).
 *
 * Layout (bytes, then base64url, no padding):
 *   version (1) = 1
 *   offer id      unsigned LEB128 (1–5)
 *   affiliate id  unsigned LEB128 (1–5)
 *   seconds since 2024-01-01T00:00:00Z, big-endian uint32 (4)
 *   random (8)        — 64 bits from the CSPRNG: the id is unguessable even without the MAC
 *   MAC (6)           — first 48 bits of HMAC-SHA256(secret, all bytes before it)
 * 21 bytes (28 characters) for small ids, at most 29 bytes (39 characters) for ids below 2^35.
 */

const VERSION = 1
const EPOCH_SECONDS = Date.UTC(2024, 0, 1) / 1000
const RANDOM_BYTES = 8
const MAC_BYTES = 6
const MAX_ID = 2 ** 35 - 1
const MAX_LENGTH = 40

export interface ClickIdParts {
  offerId: number
  affiliateId: number
  /** Click time, epoch milliseconds rounded down to the second. */
  clickedAt: number
}

/** Mints a new click id for an offer and affiliate at `now` (epoch ms). */
export function encodeClickId(secret: Buffer, parts: ClickIdParts): string {
  if (!isEncodableId(parts.offerId) || !isEncodableId(parts.affiliateId)) {
    throw new RangeError('offer and affiliate ids must be positive integers below 2^35')
  }
  const seconds = Math.floor(parts.clickedAt / 1000) - EPOCH_SECONDS
  const bytes = Buffer.allocUnsafe(1 + 5 + 5 + 4 + RANDOM_BYTES + MAC_BYTES)
  bytes[0] = VERSION
  let at = writeLeb128(bytes, 1, parts.offerId)
  at = writeLeb128(bytes, at, parts.affiliateId)
  at = bytes.writeUInt32BE(Math.max(0, seconds), at)
  at += takeRandom(RANDOM_BYTES).copy(bytes, at)
  mac(secret, bytes.subarray(0, at)).copy(bytes, at)
  return bytes.toString('base64url', 0, at + MAC_BYTES)
}

/** The parts of a genuine click id, or undefined for anything forged, truncated or garbled. */
export function decodeClickId(secret: Buffer, clickId: string): ClickIdParts | undefined {
  if (clickId.length < 20 || clickId.length > MAX_LENGTH || !/^[A-Za-z0-9_-]+$/.test(clickId)) {
    return undefined
  }
  const bytes = Buffer.from(clickId, 'base64url')
  if (bytes.toString('base64url') !== clickId || bytes[0] !== VERSION) return undefined
  const body = bytes.subarray(0, bytes.length - MAC_BYTES)
  if (!mac(secret, body).equals(bytes.subarray(bytes.length - MAC_BYTES))) return undefined
  const offer = readLeb128(body, 1)
  const affiliate = offer && readLeb128(body, offer.next)
  if (!offer || !affiliate || body.length !== affiliate.next + 4 + RANDOM_BYTES) return undefined
  const seconds = body.readUInt32BE(affiliate.next)
  return {
    offerId: offer.value,
    affiliateId: affiliate.value,
    clickedAt: (seconds + EPOCH_SECONDS) * 1000,
  }
}

function isEncodableId(id: number): boolean {
  return Number.isSafeInteger(id) && id > 0 && id <= MAX_ID
}

function mac(secret: Buffer, body: Buffer): Buffer {
  return createHmac('sha256', secret).update(body).digest().subarray(0, MAC_BYTES)
}

function writeLeb128(bytes: Buffer, start: number, value: number): number {
  let at = start
  let rest = value
  do {
    const low = rest % 128
    rest = Math.floor(rest / 128)
    bytes[at++] = rest > 0 ? low | 0x80 : low
  } while (rest > 0)
  return at
}

// One CSPRNG call per 512 ids instead of one per id: the call, not the bytes, is what costs.
const randomPool = Buffer.alloc(4096)
let randomOffset = randomPool.length

function takeRandom(size: number): Buffer {
  if (randomOffset + size > randomPool.length) {
    randomFillSync(randomPool)
    randomOffset = 0
  }
  randomOffset += size
  return randomPool.subarray(randomOffset - size, randomOffset)
}

function readLeb128(bytes: Buffer, start: number): { value: number; next: number } | undefined {
  let value = 0
  let scale = 1
  for (let i = start; i < bytes.length && i < start + 5; i++) {
    const byte = bytes[i]!
    value += (byte & 0x7f) * scale
    scale *= 128
    if ((byte & 0x80) === 0) return isEncodableId(value) ? { value, next: i + 1 } : undefined
  }
  return undefined
}
