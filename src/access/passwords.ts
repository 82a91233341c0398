import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto'
import { AppError } from '../http/errors.ts'
import { COMMON_PASSWORDS } from './common-passwords.ts'

// scrypt with N=2^15, r=8: 32 MiB and ~50-100 ms per hash, in libuv's thread pool so the event
// loop keeps serving. The parameters are stored with each hash, so they can be raised later.
const COST = { N: 2 ** 15, r: 8, p: 1 }
const KEY_BYTES = 32
export const MIN_PASSWORD_LENGTH = 12

function derive(password: string, salt: Buffer, cost: typeof COST): Promise<Buffer> {
  const options: ScryptOptions = { ...cost, maxmem: 256 * cost.N * cost.r + 1024 * 1024 }
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, KEY_BYTES, options, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  )
}

/** `scrypt$N$r$p$salt$hash`, salt and hash base64url. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16)
  const key = await derive(password, salt, COST)
  const { N, r, p } = COST
  return ['scrypt', N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$')
}

// Made once, so an unknown email costs the same scrypt run as a known one.
let dummyHash: Promise<string> | undefined

/** Makes the dummy hash ahead of the first sign-in, which would otherwise pay for it twice. */
export function prepareDummyHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'))
  return dummyHash
}

/** Checks a password against a stored hash, or against a dummy one when there is none. */
export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  const hash = stored ?? (await prepareDummyHash())
  const [scheme, N, r, p, salt, expected] = hash.split('$')
  if (scheme !== 'scrypt' || !salt || !expected) return false
  const key = await derive(password, Buffer.from(salt, 'base64url'), {
    N: Number(N),
    r: Number(r),
    p: Number(p),
  })
  const want = Buffer.from(expected, 'base64url')
  return stored !== null && key.length === want.length && timingSafeEqual(key, want)
}

/** Refuses short passwords and the ones at the top of every cracking list. */
export function checkPasswordStrength(password: string, email: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new AppError(
      'weak_password',
      `password must be at least ${MIN_PASSWORD_LENGTH} characters long`,
    )
  }
  const lower = password.toLowerCase()
  if (COMMON_PASSWORDS.has(lower) || lower === email.toLowerCase() || /^(.)\1+$/.test(password)) {
    throw new AppError('weak_password', 'password is too common; choose another')
  }
}
