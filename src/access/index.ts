export {
  authenticateKey,
  createApiKey,
  ensureAdminKey,
  type Principal,
  replaceAffiliateKey,
} from './api-keys.ts'
