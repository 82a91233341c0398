import type { DeliveryState } from '../db/tables/deliveries.ts'
import type { AttemptResult } from './send-attempt.ts'

export const RETRY_AFTER_MIN_MS = 1000
export const RETRY_AFTER_MAX_MS = 6 * 3_600_000
const JITTER = 0.2

export interface NextStep {
  state: DeliveryState
  run_at: number | null
  step: number
}

/**
 * What follows an attempt: delivered on a 2xx; failed at once on a 410 or a refused target;
 * otherwise the next delay of the schedule (±20 % jitter, so a burst of failures does not retry
 * as a burst), or a clamped `Retry-After`; failed when the schedule is used up.
 */
export function nextStep(
  result: AttemptResult,
  step: number,
  scheduleMs: readonly number[],
  random: () => number = Math.random,
): NextStep {
  const done = result.at + result.duration_ms
  if (result.outcome === 'delivered') return { state: 'delivered', run_at: null, step }
  if (result.outcome === 'gone' || result.outcome === 'refused') {
    return { state: 'failed', run_at: null, step: step + 1 }
  }
  const scheduled = scheduleMs[step]
  if (scheduled === undefined) return { state: 'failed', run_at: null, step: step + 1 }
  const delay =
    result.retry_after_ms !== null
      ? Math.min(Math.max(result.retry_after_ms, RETRY_AFTER_MIN_MS), RETRY_AFTER_MAX_MS)
      : Math.round(scheduled * (1 - JITTER + 2 * JITTER * random()))
  return { state: 'pending', run_at: done + delay, step: step + 1 }
}
