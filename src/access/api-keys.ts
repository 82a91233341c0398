import type { Db } from '../db/database.ts'
import { AppError } from '../http/errors.ts'
import { formatId } from '../shared/ids.ts'
import { generateSecret, hashApiKey, secretsEqual } from '../shared/secrets.ts'
import { recordChange } from './audit-log.ts'
import { mayGrant, type Principal, type Role, type Scope, scopeOf } from './roles.ts'

// A used key's last_used_at is written at most this often: a write per request would turn every
// read of the API into a write.
const TOUCH_EVERY_MS = 60_000

/** The configured admin key: an admin with no stored row, named after its variable. */
const CONFIGURED_ADMIN: Principal = {
  role: 'admin',
  actor: { type: 'key', id: null, name: 'BACKTRACK_ADMIN_KEY' },
}

/**
 * Looks a presented key up by its hash; the configured admin key never touches the database and,
 * when set, replaces the generated (bootstrap) one. A key that belongs to a disabled user stops
 * working with it, and an affiliate key works only while its affiliate is active.
 */
export async function authenticateKey(
  db: Db,
  presented: string,
  configuredAdminKey: string | undefined,
): Promise<Principal | undefined> {
  if (configuredAdminKey !== undefined && secretsEqual(presented, configuredAdminKey)) {
    return CONFIGURED_ADMIN
  }
  const hash = hashApiKey(presented)
  const row = await db
    .selectFrom('api_keys')
    .leftJoin('users', 'users.id', 'api_keys.user_id')
    .leftJoin('affiliates', 'affiliates.id', 'api_keys.affiliate_id')
    .select([
      'api_keys.id',
      'api_keys.role',
      'api_keys.affiliate_id',
      'api_keys.advertiser_id',
      'api_keys.key_hash',
      'api_keys.name',
      'api_keys.user_id',
      'api_keys.last_used_at',
      'users.disabled_at',
      'users.role as user_role',
      'users.affiliate_id as user_affiliate_id',
      'users.advertiser_id as user_advertiser_id',
      'affiliates.status as affiliate_status',
    ])
    .where('api_keys.key_hash', '=', hash)
    .executeTakeFirst()
  if (!row || !secretsEqual(row.key_hash, hash) || row.disabled_at !== null) return undefined
  if (isBootstrapAdminKey(row) && configuredAdminKey !== undefined) return undefined
  if (row.affiliate_id !== null && row.affiliate_status !== 'active') return undefined
  const scope = scopeOf(row)
  if (!scope || !withinOwner(row, scope)) return undefined
  const now = Date.now()
  if (row.last_used_at === null || now - row.last_used_at >= TOUCH_EVERY_MS) {
    await db.updateTable('api_keys').set({ last_used_at: now }).where('id', '=', row.id).execute()
  }
  const id = formatId(row.id)
  return {
    ...scope,
    actor: { type: 'key', id, name: row.name ?? `key ${id}` },
    ...(row.user_id === null ? {} : { userId: row.user_id }),
  }
}

/**
 * A person's key is as wide as its owner is now, not as when it was made: a user demoted or moved
 * to another affiliate keeps keys that would be wider than themselves, and they stop working.
 */
function withinOwner(
  row: {
    user_id: number | null
    user_role: Role | null
    user_affiliate_id: number | null
    user_advertiser_id: number | null
  },
  scope: Scope,
): boolean {
  if (row.user_id === null || row.user_role === null) return true
  const owner = scopeOf({
    role: row.user_role,
    affiliate_id: row.user_affiliate_id,
    advertiser_id: row.user_advertiser_id,
  })
  return owner !== undefined && mayGrant(owner, scope)
}

/**
 * The bootstrap admin key (generated on first start or by `admin-key rotate`) has no name; keys
 * people make with POST /api-keys always have one, and outlive a rotation of the bootstrap key.
 */
function isBootstrapAdminKey(row: { role: Role; name: string | null }): boolean {
  return row.role === 'admin' && row.name === null
}

function keyColumns(scope: Scope) {
  return {
    role: scope.role,
    affiliate_id: scope.role === 'affiliate' ? scope.affiliateId : null,
    advertiser_id: scope.role === 'advertiser' ? scope.advertiserId : null,
  }
}

/** Stores a new key's hash and returns the key, which is never seen again after this call. */
export async function createApiKey(db: Db, owner: Scope): Promise<string> {
  const key = generateSecret(owner.role === 'admin' ? 'bt_admin_' : 'bt_aff_')
  await db
    .insertInto('api_keys')
    .values({ ...keyColumns(owner), key_hash: hashApiKey(key), created_at: Date.now() })
    .execute()
  return key
}

/**
 * Replaces an affiliate's own key (the unnamed one made with it) with a new one, returned once;
 * the old key stops at once. Named keys its people made stay. Runs in the caller's transaction.
 */
export async function replaceAffiliateKey(tx: Db, affiliateId: number): Promise<string> {
  await tx
    .deleteFrom('api_keys')
    .where('affiliate_id', '=', affiliateId)
    .where('name', 'is', null)
    .execute()
  return createApiKey(tx, { role: 'affiliate', affiliateId })
}

export interface ApiKeyView {
  id: string
  name: string | null
  role: Role
  affiliate_id: string | null
  advertiser_id: string | null
  user_id: string | null
  created_at: string
  last_used_at: string | null
}

/** A named key for a caller, as wide as `scope` at most (the route checks `mayGrant`). */
export async function createNamedKey(
  db: Db,
  input: { name: string; scope: Scope; creator: Principal },
): Promise<ApiKeyView & { key: string }> {
  const key = generateSecret('bt_key_')
  const { creator } = input
  return db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto('api_keys')
      .values({
        ...keyColumns(input.scope),
        name: input.name,
        user_id: creator.userId ?? null,
        created_by: `${creator.actor.type}:${creator.actor.id ?? 'configured'}`,
        key_hash: hashApiKey(key),
        created_at: Date.now(),
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    const view = presentKey(row)
    await recordChange(tx, { action: 'create', entity: 'api_key', entityId: row.id, after: view })
    return { ...view, key }
  })
}

/** Keys the caller may see: every key for an admin, else the caller's own. */
export async function listApiKeys(db: Db, caller: Principal): Promise<ApiKeyView[]> {
  const rows = await ownedBy(db, caller).orderBy('id', 'desc').execute()
  return rows.map(presentKey)
}

/** Revokes a key at once: the next request with it is a 401. */
export async function deleteApiKey(db: Db, id: number, caller: Principal): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const row = await ownedBy(tx, caller).where('id', '=', id).executeTakeFirst()
    if (!row) throw new AppError('not_found', `API key ${id} not found`)
    await tx.deleteFrom('api_keys').where('id', '=', id).execute()
    await recordChange(tx, {
      action: 'delete',
      entity: 'api_key',
      entityId: id,
      before: presentKey(row),
    })
  })
}

function ownedBy(db: Db, caller: Principal) {
  const select = db.selectFrom('api_keys').selectAll()
  if (caller.role === 'admin') return select
  const creator = `${caller.actor.type}:${caller.actor.id ?? 'configured'}`
  return caller.userId === undefined
    ? select.where('created_by', '=', creator)
    : select.where((eb) =>
        eb.or([eb('user_id', '=', caller.userId!), eb('created_by', '=', creator)]),
      )
}

function presentKey(row: {
  id: number
  name: string | null
  role: Role
  affiliate_id: number | null
  advertiser_id: number | null
  user_id: number | null
  created_at: number
  last_used_at: number | null
}): ApiKeyView {
  const id = (value: number | null) => (value === null ? null : formatId(value))
  return {
    id: formatId(row.id),
    name: row.name,
    role: row.role,
    affiliate_id: id(row.affiliate_id),
    advertiser_id: id(row.advertiser_id),
    user_id: id(row.user_id),
    created_at: new Date(row.created_at).toISOString(),
    last_used_at: row.last_used_at === null ? null : new Date(row.last_used_at).toISOString(),
  }
}

/**
 * With no BACKTRACK_ADMIN_KEY and no stored admin key, makes one and returns it so start-up can
 * print it once. Returns undefined when an admin key already exists. A configured key replaces a
 * generated one: the stored admin keys are deleted, and unsetting the variable later makes anew.
 */
export async function ensureAdminKey(
  db: Db,
  configuredAdminKey: string | undefined,
): Promise<string | undefined> {
  if (configuredAdminKey !== undefined) {
    await db.transaction().execute(async (tx) => {
      await tx
        .deleteFrom('api_keys')
        .where('role', '=', 'admin')
        .where('name', 'is', null)
        .execute()
      await tx.deleteFrom('settings').where('key', '=', 'admin_key_generated_at').execute()
    })
    return undefined
  }
  // Claiming a settings row first makes this once-only even when several processes start together.
  const claimed = await db
    .insertInto('settings')
    .values({ key: 'admin_key_generated_at', value: new Date().toISOString() })
    .onConflict((conflict) => conflict.column('key').doNothing())
    .returning('key')
    .executeTakeFirst()
  return claimed ? createApiKey(db, { role: 'admin' }) : undefined
}
