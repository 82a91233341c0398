export {
  authenticateKey,
  createApiKey,
  ensureAdminKey,
  type Principal,
  replaceAffiliateKey,
} from './api-keys.ts'
export { rotateAdminKey } from './rotate-admin-key.ts'
