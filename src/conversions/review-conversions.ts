import type { Principal } from '../access/index.ts'
import type { Db } from '../db/database.ts'
import { AppError } from '../http/errors.ts'
import { parseId } from '../shared/ids.ts'
import { updateConversionStatus } from './conversions.ts'

export interface ReviewInput {
  ids: string[]
  status: 'approved' | 'rejected'
  reason?: string | null
}

export interface ReviewResult {
  id: string
  status?: 'approved' | 'pending' | 'rejected'
  error?: { code: string; message: string }
}

/**
 * Approves or rejects many conversions (the review queue), each as `PATCH /conversions/{id}`
 * would: its own transaction, history row, audit entry and postbacks. One that cannot change
 * (gone, or already final) gets its error beside its id and does not stop the others.
 */
export async function reviewConversions(
  db: Db,
  input: ReviewInput,
  principal: Principal,
): Promise<ReviewResult[]> {
  const results: ReviewResult[] = []
  for (const text of input.ids) {
    const id = parseId(text)
    try {
      if (id === undefined) throw new AppError('not_found', `conversion ${text} not found`)
      const change = { status: input.status, reason: input.reason ?? null }
      const view = await updateConversionStatus(db, id, change, principal)
      results.push({ id: text, status: view.status })
    } catch (error) {
      if (!(error instanceof AppError)) throw error
      results.push({ id: text, error: { code: error.code, message: error.message } })
    }
  }
  return results
}
