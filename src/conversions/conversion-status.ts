import { AppError } from '../http/errors.ts'

/** Where a conversion stands, in the API, the database and outbound postbacks. */
export type ConversionStatus = 'approved' | 'pending' | 'rejected'

/**
 * Status words advertisers' systems send, mapped onto ours: Keitaro (`sale`, `lead`), Affise
 * (`confirmed`, `declined`, `hold` and its numeric codes 1, 2, 3, 5), and the plain three.
 */
const STATUS_WORDS: Readonly<Record<string, ConversionStatus>> = {
  approved: 'approved',
  approve: 'approved',
  confirmed: 'approved',
  sale: 'approved',
  '1': 'approved',
  pending: 'pending',
  lead: 'pending',
  hold: 'pending',
  '2': 'pending',
  '5': 'pending',
  rejected: 'rejected',
  reject: 'rejected',
  declined: 'rejected',
  '3': 'rejected',
}

/** The status a postback asks for: `approved` when none is given; 400 `invalid_status` if unknown. */
export function parsePostbackStatus(text: string | undefined): ConversionStatus {
  if (text === undefined) return 'approved'
  const status = STATUS_WORDS[text.toLowerCase()]
  if (!status) {
    throw new AppError(
      'invalid_status',
      `status "${text.slice(0, 40)}" is not one of approved, pending, rejected`,
    )
  }
  return status
}

/** A status named exactly, as the admin API takes it; 400 `invalid_status` otherwise. */
export function parseStatus(text: string): ConversionStatus {
  if (text === 'approved' || text === 'pending' || text === 'rejected') return text
  throw new AppError(
    'invalid_status',
    `status "${text.slice(0, 40)}" is not one of approved, pending, rejected`,
  )
}

// pending → approved | rejected; approved → rejected (a reversal). rejected is final.
const ALLOWED: Readonly<Record<ConversionStatus, readonly ConversionStatus[]>> = {
  pending: ['approved', 'rejected'],
  approved: ['rejected'],
  rejected: [],
}

/** Whether a conversion may move from one status to another. */
export function canTransition(from: ConversionStatus, to: ConversionStatus): boolean {
  return ALLOWED[from].includes(to)
}

/** 409 `invalid_status_transition` naming both ends. */
export function transitionError(from: ConversionStatus, to: ConversionStatus): AppError {
  const allowed = ALLOWED[from]
  const hint = allowed.length > 0 ? `; from ${from} it can become ${allowed.join(' or ')}` : ''
  return new AppError(
    'invalid_status_transition',
    `a ${from} conversion cannot become ${to}${hint}`,
    { from, to },
  )
}
