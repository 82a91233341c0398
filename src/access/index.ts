export { authenticateKey, createApiKey, ensureAdminKey, type Principal } from './api-keys.ts'
