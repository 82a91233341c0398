import type { Ddl } from '../ddl.ts'
import { catalogMigration } from './0001-catalog.ts'
import { clicksMigration } from './0002-clicks.ts'
import { conversionsMigration } from './0003-conversions.ts'
import { deliveriesMigration } from './0004-deliveries.ts'
import { reportsMigration } from './0005-reports.ts'
import { longerRollupBucketsMigration } from './0006-longer-rollup-buckets.ts'
import { rollupFillfactorMigration } from './0007-rollup-fillfactor.ts'
import { abuseGuardsMigration } from './0008-abuse-guards.ts'
import { accountsMigration } from './0009-accounts.ts'
import { offerAccessMigration } from './0010-offer-access.ts'
import { advertiserSideMigration } from './0011-advertiser-side.ts'
import { targetingBlocklistsMigration } from './0012-targeting-blocklists.ts'
import { fraudRulesAndCapsMigration } from './0013-fraud-rules-and-caps.ts'
import { clicksByAffiliateMigration } from './0014-clicks-by-affiliate.ts'

/**
 * Forward-only migrations in order. Each returns the statements for one engine; a name, once
 * released, never changes and its statements are never edited — add a new migration instead.
 */
export const MIGRATIONS: ReadonlyArray<{ name: string; statements: (t: Ddl) => string[] }> = [
  { name: '0001-catalog', statements: catalogMigration },
  { name: '0002-clicks', statements: clicksMigration },
  { name: '0003-conversions', statements: conversionsMigration },
  { name: '0004-deliveries', statements: deliveriesMigration },
  { name: '0005-reports', statements: reportsMigration },
  { name: '0006-longer-rollup-buckets', statements: longerRollupBucketsMigration },
  { name: '0007-rollup-fillfactor', statements: rollupFillfactorMigration },
  { name: '0008-abuse-guards', statements: abuseGuardsMigration },
  { name: '0009-accounts', statements: accountsMigration },
  { name: '0010-offer-access', statements: offerAccessMigration },
  { name: '0011-advertiser-side', statements: advertiserSideMigration },
  { name: '0012-targeting-blocklists', statements: targetingBlocklistsMigration },
  { name: '0013-fraud-rules-and-caps', statements: fraudRulesAndCapsMigration },
  { name: '0014-clicks-by-affiliate', statements: clicksByAffiliateMigration },
]
