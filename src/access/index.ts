export { authenticateKey, createApiKey, ensureAdminKey, type Principal } from './api-keys.ts'
export { rotateAdminKey } from './rotate-admin-key.ts'
