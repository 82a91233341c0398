import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROUTE_ROLES } from '../../src/access/route-roles.ts'
import { ERROR_STATUS } from '../../src/http/errors.ts'
import { startTestServer, type TestServer } from '../helpers/test-server.ts'

// docs/api.md is written by hand; these checks make it fail to build when the code moves on
// without it: every served operation, the role column of each, and every error code.
const API_MD = readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8')

interface Operation {
  method: string
  path: string
  operationId: string | undefined
}

/** The cells of each row of the markdown table under `heading`, header and rule left out. */
function tableRows(heading: string): string[][] {
  const start = API_MD.indexOf(`\n${heading}\n`)
  if (start === -1) throw new Error(`docs/api.md has no "${heading}"`)
  const next = API_MD.indexOf('\n## ', start + heading.length + 2)
  const section = API_MD.slice(start, next === -1 ? undefined : next)
  const lines = section.split('\n').filter((line) => line.startsWith('|'))
  return lines.slice(2).map((line) =>
    line
      .slice(1, -1)
      .split(' | ')
      .map((cell) => cell.trim()),
  )
}

/** The backticked words of a cell: `POST /api/v1/offers` → ['POST /api/v1/offers']. */
function ticked(cell: string): string[] {
  return [...cell.matchAll(/`([^`]+)`/g)].map((match) => match[1]!)
}

/** The roles a "who" cell names: the part before `;` (which says who gets 404 instead). */
function rolesOf(cell: string): string[] {
  return cell
    .split(';')[0]!
    .split(',')
    .map((role) => role.trim())
    .filter((role) => role !== '')
    .sort()
}

/** The key of route-roles.ts: `GET /api/v1/offers/:id` for the document's `/api/v1/offers/{id}`. */
function routeKey(op: Operation): string {
  return `${op.method} ${op.path.replaceAll(/\{(\w+)\}/g, ':$1')}`
}

/** The roles route-roles.ts gives an operation, sorted; a route it does not list is admin-only. */
function expectedRoles(op: Operation): string[] {
  // Outside /api/v1 (tracking link, postback, health) the route table does not apply: no key.
  if (!op.path.startsWith('/api/v1/')) return ['public']
  const access = ROUTE_ROLES[routeKey(op)]
  if (!access) return ['admin']
  return typeof access.roles === 'string' ? [access.roles] : [...access.roles].sort()
}

// The document does not depend on the engine, so one is enough.
describe('docs/api.md keeps up with the code', () => {
  let t: TestServer
  let operations: Operation[]
  beforeAll(async () => {
    t = await startTestServer('sqlite')
    const doc = await t.request('GET', '/api/openapi.json', { key: null })
    expect(doc.status).toBe(200)
    operations = Object.entries(
      doc.body.paths as Record<string, Record<string, Operation>>,
    ).flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]) => ({
        method: method.toUpperCase(),
        path,
        operationId: op.operationId,
      })),
    )
  })
  afterAll(() => t.close())

  /** The Operations table row of an operation: its `METHOD path` in the first cell. */
  function rowOf(rows: string[][], op: Operation): string[] | undefined {
    return rows.find((cells) => ticked(cells[0] ?? '').includes(`${op.method} ${op.path}`))
  }

  it('has a row for every operation of the OpenAPI document, naming its operationId', () => {
    const rows = tableRows('## Operations')
    const missing: string[] = []
    for (const op of operations) {
      const row = rowOf(rows, op)
      if (!row) missing.push(`${op.method} ${op.path}: no row`)
      // Where the code gives no operationId the row shows none, to be filled once it does.
      else if (op.operationId !== undefined && !ticked(row[1] ?? '').includes(op.operationId)) {
        missing.push(`${op.method} ${op.path}: ${op.operationId} not in its row`)
      }
    }
    expect(missing).toEqual([])
  })

  it('gives each operation in the Operations table exactly the roles of route-roles.ts', () => {
    const rows = tableRows('## Operations')
    const mismatches: string[] = []
    for (const op of operations) {
      const row = rowOf(rows, op)
      if (!row) continue // reported by the test above
      const documented = rolesOf(row[2] ?? '')
      const expected = expectedRoles(op)
      if (JSON.stringify(documented) !== JSON.stringify(expected)) {
        mismatches.push(`${op.method} ${op.path}: docs ${documented} ≠ code ${expected}`)
      }
    }
    expect(mismatches).toEqual([])
  })

  it('says which roles get 404 rather than 403, as route-roles.ts hides them', () => {
    const rows = tableRows('## Operations')
    const mismatches: string[] = []
    for (const op of operations) {
      const row = rowOf(rows, op)
      if (!row || !op.path.startsWith('/api/v1/')) continue
      const hidden = ROUTE_ROLES[routeKey(op)]?.hidden ?? []
      const said = /; 404 for ([a-z, ]+)/.exec(row[2] ?? '')?.[1]?.split(', ') ?? []
      if (JSON.stringify([...said].sort()) !== JSON.stringify([...hidden].sort())) {
        mismatches.push(`${op.method} ${op.path}: docs ${said} ≠ code ${hidden}`)
      }
    }
    expect(mismatches).toEqual([])
  })

  it('lists every route of route-roles.ts as an operation', () => {
    const served = new Set(operations.map(routeKey))
    expect(Object.keys(ROUTE_ROLES).filter((key) => !served.has(key))).toEqual([])
  })

  it('lists every error code of src/http/errors.ts with its status, and no other', () => {
    const rows = tableRows('## Error codes')
    const documented = Object.fromEntries(
      rows.map((cells) => [ticked(cells[0] ?? '')[0], Number(cells[1])]),
    )
    expect(documented).toEqual(ERROR_STATUS)
  })
})
