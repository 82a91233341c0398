import { sql } from 'kysely'
import type { Database } from '../../src/db/database.ts'
import { TIERS } from '../../src/reports/rollup-tiers.ts'

const DAY_MS = 86_400_000
const CHUNK = 1_000_000

export interface GeneratedData {
  clicks: number
  conversions: number
  from: number
  to: number
}

/**
 * Writes `clicks` raw clicks spread evenly over `days` days ending now, every
 * (clicks / conversions)-th of them converting, then fills the rollups from those rows with the
 * same sums the live path keeps incrementally (aggregating in SQL is just faster at this size).
 * 20 offers, 100 affiliates, 10 countries, 3 devices, 1,000 sub1 and 100 sub2 values.
 */
export async function generateReportData(
  database: Database,
  counts: { clicks: number; conversions: number; days: number },
): Promise<GeneratedData> {
  const to = Math.floor(Date.now() / DAY_MS) * DAY_MS
  const from = to - counts.days * DAY_MS
  const step = (counts.days * DAY_MS) / counts.clicks
  const every = Math.max(1, Math.floor(counts.clicks / counts.conversions))
  const { db, engine } = database
  const rnd = (n: number) =>
    engine === 'sqlite' ? `(abs(random()) % ${n})` : `floor(random() * ${n})::int`
  for (let start = 0; start < counts.clicks; start += CHUNK) {
    const end = Math.min(counts.clicks, start + CHUNK) - 1
    const series =
      engine === 'sqlite'
        ? `with recursive s(n) as (select ${start} union all select n + 1 from s where n < ${end}) select n from s`
        : `select generate_series(${start}, ${end}) as n`
    await sql
      .raw(
        `insert into clicks (click_id, offer_id, affiliate_id, sub1, sub2, sub3, sub4, sub5, source, ip,
          user_agent, referrer, country, device_type, os, browser, is_bot, is_unique, created_at)
        select 'g' || n, 1 + ${rnd(20)}, 1 + ${rnd(100)}, 's' || ${rnd(1000)}, 'p' || ${rnd(100)},
          null, null, null, 'src' || ${rnd(20)}, '198.51.100.' || ${rnd(250)}, 'Mozilla/5.0 bench', null,
          (array_or_case_country), (case ${rnd(3)} when 0 then 'desktop' when 1 then 'mobile' else 'tablet' end),
          'Windows', 'Chrome', 0, case when ${rnd(10)} < 7 then 1 else 0 end,
          ${from} + cast(${engine === 'sqlite' ? 'n' : 'n::bigint'} * ${step} as bigint)
        from (${series}) g`.replace(
          '(array_or_case_country)',
          `(case ${rnd(10)} when 0 then 'US' when 1 then 'DE' when 2 then 'GB' when 3 then 'FR' when 4 then 'BR' when 5 then 'IN' when 6 then 'JP' when 7 then 'CA' when 8 then 'AU' else 'ES' end)`,
        ),
      )
      .execute(db)
  }
  const number =
    engine === 'sqlite' ? `cast(substr(click_id, 2) as integer)` : `substr(click_id, 2)::bigint`
  await sql
    .raw(`insert into conversions (click_id, offer_id, affiliate_id, advertiser_id, goal, txid, once_per_click,
        status, reason, amount, revenue, payout, currency, sub1, sub2, sub3, sub4, sub5, source, country,
        device_type, clicked_at, seconds_to_convert, created_at, updated_at)
      select click_id, offer_id, affiliate_id, 1, 'default', null, 1,
        case when ${rnd(20)} < 16 then 'approved' when ${rnd(4)} < 3 then 'pending' else 'rejected' end,
        null, null, 250, 175, 'USD', sub1, sub2, sub3, sub4, sub5, source, country, device_type,
        created_at, 3600, created_at + 3600000, created_at + 3600000
      from clicks where ${number} % ${every} = 0 and created_at + 3600000 < ${to}`)
    .execute(db)
  await fillRollups(database)
  const clicks = await db
    .selectFrom('clicks')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow()
  const conversions = await db
    .selectFrom('conversions')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow()
  return { clicks: Number(clicks.n), conversions: Number(conversions.n), from, to }
}

const CONVERSION_COUNTERS = [
  'conversions',
  'pending_conversions',
  'rejected_conversions',
  'revenue',
  'payout',
]

async function fillRollups({ db }: Database): Promise<void> {
  const source: Record<string, string> = {
    offer_id: 'offer_id',
    affiliate_id: 'affiliate_id',
    country: "coalesce(country, '')",
    device: "coalesce(device_type, '')",
    source: "coalesce(source, '')",
    sub1: "coalesce(sub1, '')",
    sub2: "coalesce(sub2, '')",
    sub3: "coalesce(sub3, '')",
    sub4: "coalesce(sub4, '')",
    sub5: "coalesce(sub5, '')",
  }
  // The tiers the server keeps, so that a new one is filled here too.
  for (const { table, bucketMs, dimensions } of TIERS) {
    // Goal is '' for click rows and the conversion's goal for conversion rows.
    const goal = dimensions.includes('goal')
    const dims = dimensions.filter((dimension) => dimension !== 'goal')
    const columns = ['bucket', ...dims, ...(goal ? ['goal'] : []), 'currency']
    const bucket = `(created_at / ${bucketMs}) * ${bucketMs}`
    const keys = [bucket, ...dims.map((d) => source[d])]
    const select = (goalValue: string, currency: string) => [
      ...keys,
      ...(goal ? [goalValue] : []),
      currency,
    ]
    const group = (goalValue?: string) => [...keys, ...(goal && goalValue ? [goalValue] : [])]
    await sql
      .raw(`insert into ${table} (${columns.join(', ')}, clicks, unique_clicks)
        select ${select("''", "'USD'").join(', ')}, count(*), sum(is_unique)
        from clicks group by ${group().join(', ')}`)
      .execute(db)
    await sql
      .raw(`insert into ${table} (${columns.join(', ')}, conversions, pending_conversions,
          rejected_conversions, revenue, payout)
        select ${select('goal', 'currency').join(', ')},
          sum(case when status = 'approved' then 1 else 0 end),
          sum(case when status = 'pending' then 1 else 0 end),
          sum(case when status = 'rejected' then 1 else 0 end),
          sum(case when status = 'approved' then revenue else 0 end),
          sum(case when status = 'approved' then payout else 0 end)
        from conversions where true group by ${[...group('goal'), 'currency'].join(', ')}
        on conflict (${columns.join(', ')}) do update set ${CONVERSION_COUNTERS.map((c) => `${c} = ${table}.${c} + excluded.${c}`).join(', ')}`)
      .execute(db)
  }
}
