import { type Cap, catalogRevision, parseStoredCaps, type Targeting } from '../catalog/index.ts'
import type { Db } from '../db/database.ts'
import type { OfferStatus } from '../db/schema.ts'
import type { BlocklistType } from '../db/tables/clicks.ts'
import { ClickCaps, CompiledBlocklist, CompiledTargeting, type OfferRules } from '../fraud/index.ts'
import { compileMacros, type MacroTemplate } from '../shared/macros.ts'

export interface TrackedOffer extends OfferRules {
  id: number
  status: OfferStatus
  /**
   * URL templates, compiled, with any non-ASCII text percent-encoded so a filled one is a valid
   * header.
   */
  destination: MacroTemplate
  fallback: MacroTemplate | null
  /** Reports count clicks per currency, so a click carries its offer's. */
  currency: string
  /**
   * The affiliates that may run an approval or private offer; undefined for a public one, which
   * every active affiliate may run.
   */
  allowed: ReadonlySet<number> | undefined
  timeZone: string
  /** The caps on clicks; other metrics are the conversion path's. */
  clickCaps: Cap[]
}

export interface CatalogSnapshot {
  offers: ReadonlyMap<number, TrackedOffer>
  /** Affiliate id → whether it is active. */
  affiliates: ReadonlyMap<number, boolean>
  /** The network-wide blocklist, or null when it is empty. */
  blocklist: CompiledBlocklist | null
}

export interface CatalogLog {
  error(object: object, message: string): void
}

const POLL_INTERVAL_MS = 1000

/**
 * The offers, affiliates and grants of access the redirect needs, held in memory so a click costs no database read
 * and an unknown or hostile id costs nothing at all. A write through this process's API is seen
 * by the next click (catalog revision); another process's write within a second or so (a poll of
 * each table's row count and latest `updated_at`).
 */
export class TrackingCatalog {
  readonly #db: Db
  #log: CatalogLog
  #snapshot: CatalogSnapshot = { offers: new Map(), affiliates: new Map(), blocklist: null }
  /** Click caps of the offers, counted in memory. */
  readonly caps: ClickCaps
  #loadedRevision = -1
  #signature = ''
  #loading: Promise<CatalogSnapshot> | undefined
  #timer: NodeJS.Timeout | undefined

  constructor(db: Db, log: CatalogLog) {
    this.#db = db
    this.#log = log
    this.caps = new ClickCaps(db)
  }

  set log(log: CatalogLog) {
    this.#log = log
  }

  /** Loads the catalog and starts watching the database for other processes' changes. */
  async start(): Promise<void> {
    await this.catchUp()
    this.#timer = setInterval(() => void this.#poll(), POLL_INTERVAL_MS)
    this.#timer.unref()
    this.caps.start((error) =>
      this.#log.error({ err: error }, 'could not read the click counts of capped offers'),
    )
  }

  stop(): void {
    clearInterval(this.#timer)
    this.caps.stop()
  }

  /**
   * The current offers and affiliates, or undefined when this process changed them since they
   * were loaded: then `catchUp()` reloads them. Kept apart so that the redirect of a click, when
   * nothing changed, waits for no promise.
   */
  current(): CatalogSnapshot | undefined {
    return this.#loadedRevision === catalogRevision() ? this.#snapshot : undefined
  }

  /**
   * The offers and affiliates once this process's latest change is loaded. A load already under
   * way may have read the rows before that change. With the database unreachable, links keep
   * working on what was loaded last.
   */
  async catchUp(): Promise<CatalogSnapshot> {
    try {
      while (this.#loadedRevision !== catalogRevision()) await this.#reload()
    } catch (error) {
      this.#log.error({ err: error }, 'could not reload offers and affiliates for tracking links')
    }
    return this.#snapshot
  }

  #reload(): Promise<CatalogSnapshot> {
    this.#loading ??= this.#load().finally(() => {
      this.#loading = undefined
    })
    return this.#loading
  }

  // The revision and signature are read before the rows: a write racing the load leaves them
  // behind, so the next click or poll loads again rather than keeping stale rows.
  async #load(): Promise<CatalogSnapshot> {
    const revision = catalogRevision()
    const signature = await this.#readSignature()
    const [offers, affiliates, grants, blocklist] = await Promise.all([
      this.#db
        .selectFrom('offers')
        .select([
          'id',
          'status',
          'destination_url',
          'fallback_url',
          'currency',
          'visibility',
          'time_zone',
          'targeting',
          'caps',
        ])
        .execute(),
      this.#db.selectFrom('affiliates').select(['id', 'status']).execute(),
      this.#db.selectFrom('offer_access').select(['offer_id', 'affiliate_id']).execute(),
      this.#db.selectFrom('blocklist').select(['type', 'value', 'offer_id']).execute(),
    ])
    const allowed = new Map<number, Set<number>>()
    for (const grant of grants) {
      const set = allowed.get(grant.offer_id) ?? new Set<number>()
      set.add(grant.affiliate_id)
      allowed.set(grant.offer_id, set)
    }
    const entries = blocklistsByOffer(blocklist)
    const snapshot: CatalogSnapshot = {
      offers: new Map(
        offers.map((row) => {
          const own = entries.get(row.id)
          const offer: TrackedOffer = {
            id: row.id,
            status: row.status,
            destination: compileMacros(headerSafe(row.destination_url)),
            fallback:
              row.fallback_url === null ? null : compileMacros(headerSafe(row.fallback_url)),
            currency: row.currency,
            allowed:
              row.visibility === 'public' ? undefined : (allowed.get(row.id) ?? new Set<number>()),
            timeZone: row.time_zone,
            targeting:
              row.targeting === null
                ? null
                : new CompiledTargeting(JSON.parse(row.targeting) as Targeting, row.time_zone),
            blocklist: own ? new CompiledBlocklist(own) : null,
            clickCaps: parseStoredCaps(row.caps).filter((cap) => cap.metric === 'clicks'),
          }
          return [row.id, offer]
        }),
      ),
      affiliates: new Map(affiliates.map((row) => [row.id, row.status === 'active'])),
      blocklist: entries.has(null) ? new CompiledBlocklist(entries.get(null)!) : null,
    }
    await this.caps.prepare(snapshot.offers.values(), Date.now())
    this.#snapshot = snapshot
    this.#signature = signature
    this.#loadedRevision = revision
    return this.#snapshot
  }

  async #poll(): Promise<void> {
    try {
      if ((await this.#readSignature()) !== this.#signature) await this.#reload()
    } catch (error) {
      this.#log.error(
        { err: error },
        'could not refresh the offers and affiliates of tracking links',
      )
    }
  }

  async #readSignature(): Promise<string> {
    const row = await this.#db
      .selectNoFrom((eb) => [
        eb
          .selectFrom('offers')
          .select((o) => o.fn.countAll().as('n'))
          .as('offers'),
        eb
          .selectFrom('offers')
          .select((o) => o.fn.max('updated_at').as('t'))
          .as('offers_at'),
        eb
          .selectFrom('affiliates')
          .select((a) => a.fn.countAll().as('n'))
          .as('affiliates'),
        eb
          .selectFrom('affiliates')
          .select((a) => a.fn.max('updated_at').as('t'))
          .as('affiliates_at'),
        // A grant adds a row with a new time and a revoke removes one: either moves these.
        eb
          .selectFrom('offer_access')
          .select((g) => g.fn.countAll().as('n'))
          .as('grants'),
        eb
          .selectFrom('offer_access')
          .select((g) => g.fn.max('granted_at').as('t'))
          .as('grants_at'),
        eb
          .selectFrom('blocklist')
          .select((b) => b.fn.countAll().as('n'))
          .as('blocklist'),
        eb
          .selectFrom('blocklist')
          .select((b) => b.fn.max('id').as('t'))
          .as('blocklist_last'),
      ])
      .executeTakeFirstOrThrow()
    return JSON.stringify(row)
  }
}

// Stored templates may hold non-ASCII text (an IDN host, a unicode path); a Location header may
// not, so it is percent-encoded once here. Macros are ASCII and survive untouched.
function headerSafe(template: string): string {
  return template.toWellFormed().replace(/[^\x21-\x7e]+/g, (text) => encodeURI(text))
}

type Entry = { type: BlocklistType; value: string }

// Entries per offer; the network's under null.
function blocklistsByOffer(
  rows: ReadonlyArray<Entry & { offer_id: number | null }>,
): Map<number | null, Entry[]> {
  const byOffer = new Map<number | null, Entry[]>()
  for (const row of rows) {
    const own = byOffer.get(row.offer_id)
    if (own) own.push(row)
    else byOffer.set(row.offer_id, [row])
  }
  return byOffer
}
