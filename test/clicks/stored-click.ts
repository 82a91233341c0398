import { expect } from 'vitest'
import { type ClickRecord, findClick } from '../../src/clicks/index.ts'
import type { TestServer } from '../helpers/test-server.ts'

/** The click id a tracking-link redirect put in its Location (`cid=` in the test offers). */
export function clickIdOf(location: string | null): string {
  const clickId = new URL(location ?? 'http://x/').searchParams.get('cid')
  expect(clickId).toMatch(/^[A-Za-z0-9_-]{20,40}$/)
  return clickId!
}

/** Waits for the group-commit writer to store a click, and returns the stored row. */
export async function storedClick(t: TestServer, clickId: string): Promise<ClickRecord> {
  for (let i = 0; i < 100; i++) {
    const click = await findClick(t.server.database.db, clickId)
    if (click) return click
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  throw new Error(`click ${clickId} was not stored within 2 s`)
}

/** Follows nothing: the raw answer of a tracking link. */
export function visit(t: TestServer, path: string, headers: Record<string, string> = {}) {
  return fetch(t.url + path, { redirect: 'manual', headers })
}
