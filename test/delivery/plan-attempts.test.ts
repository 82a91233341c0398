import { describe, expect, it } from 'vitest'
import {
  CIRCUIT_THRESHOLD,
  type EndpointHealth,
  HEALTHY,
} from '../../src/delivery/endpoint-health.ts'
import {
  type EndpointLoad,
  nextClaimDelay,
  planAttempts,
  planClaim,
} from '../../src/delivery/plan-attempts.ts'

const NOW = 1_700_000_000_000
const LIMITS = { concurrency: 8, endpointConcurrency: 3 }

const load = (queued: number, inFlight = 0, health: EndpointHealth = HEALTHY) =>
  ({ health, queued, inFlight }) satisfies EndpointLoad

describe('planning which deliveries to start', () => {
  it('starts up to the per-endpoint limit, counting attempts already in flight', () => {
    const plan = planAttempts(
      new Map([
        [1, load(5)],
        [2, load(5, 2)],
      ]),
      2,
      NOW,
      LIMITS,
    )
    expect(plan).toEqual({
      start: new Map([
        [1, 3],
        [2, 1],
      ]),
      release: [],
    })
  })

  it('stops at the overall limit, in the order the endpoints are given', () => {
    const plan = planAttempts(
      new Map([
        [1, load(3)],
        [2, load(3)],
        [3, load(3)],
      ]),
      4,
      NOW,
      LIMITS,
    )
    expect(plan.start).toEqual(
      new Map([
        [1, 3],
        [2, 1],
      ]),
    )
  })

  it('sends one probe at a time to a half-open endpoint', () => {
    const halfOpen = {
      ...HEALTHY,
      consecutive_failures: CIRCUIT_THRESHOLD,
      circuit_open_until: NOW - 1,
    }
    expect(planAttempts(new Map([[1, load(4, 0, halfOpen)]]), 0, NOW, LIMITS).start).toEqual(
      new Map([[1, 1]]),
    )
    expect(planAttempts(new Map([[1, load(4, 1, halfOpen)]]), 1, NOW, LIMITS).start).toEqual(
      new Map(),
    )
  })

  it('releases the deliveries of an endpoint blocked since the claim, or not read with it', () => {
    const open = { ...HEALTHY, consecutive_failures: 7, circuit_open_until: NOW + 1000 }
    const disabled = { ...HEALTHY, disabled_at: NOW - 1 }
    const endpoints = new Map<number, EndpointLoad>([
      [1, load(2, 0, open)],
      [2, load(2, 0, disabled)],
      [3, { health: undefined, queued: 2, inFlight: 0 }],
      [4, load(2)],
    ])
    expect(planAttempts(endpoints, 0, NOW, LIMITS)).toEqual({
      start: new Map([[4, 2]]),
      release: [1, 2, 3],
    })
  })
})

describe('planning a claim', () => {
  const idle = {
    held: 0,
    waiting: 0,
    queued: new Map<number, number>(),
    blockedUnrecorded: [],
    recorderStalled: false,
  }

  it('claims up to twice the concurrency, not counting results waiting to be recorded', () => {
    expect(planClaim(idle, LIMITS)).toEqual({ limit: 16, skip: [] })
    expect(planClaim({ ...idle, held: 10, waiting: 4 }, LIMITS)).toEqual({ limit: 10, skip: [] })
  })

  it('waits until a quarter of its room is free, unless it holds nothing', () => {
    expect(planClaim({ ...idle, held: 15 }, LIMITS)).toBeUndefined()
    expect(planClaim({ ...idle, held: 14 }, LIMITS)).toEqual({ limit: 2, skip: [] })
    expect(planClaim(idle, { concurrency: 1, endpointConcurrency: 1 })).toEqual({
      limit: 2,
      skip: [],
    })
  })

  it('skips endpoints with a full queue here and endpoints blocked by unrecorded results', () => {
    const state = {
      ...idle,
      held: 4,
      queued: new Map([
        [1, 3],
        [2, 2],
      ]),
      blockedUnrecorded: [7],
    }
    expect(planClaim(state, LIMITS)).toEqual({ limit: 12, skip: [1, 7] })
  })

  it('claims nothing while results wait for an unavailable database, even holding nothing', () => {
    expect(planClaim({ ...idle, recorderStalled: true }, LIMITS)).toBeUndefined()
  })

  it('claims again at once after a full batch, and after the poll interval otherwise', () => {
    expect(nextClaimDelay(16, 16, 200)).toBe(0)
    expect(nextClaimDelay(16, 3, 200)).toBe(200)
    expect(nextClaimDelay(0, 0, 200)).toBe(200)
  })
})
