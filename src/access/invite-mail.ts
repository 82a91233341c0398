import { createTransport } from 'nodemailer'
import type { Config } from '../config.ts'
import type { Invite } from './invites.ts'

/**
 * Mails invites when BACKTRACK_SMTP_URL is set; answers whether it sent one. A failed send is not
 * an error of the request: the user exists and the invite URL is in the response for the admin to
 * pass on, so the failure is reported as `invite_mailed: false` and logged by the caller.
 */
export function inviteMailer(config: Pick<Config, 'smtpUrl' | 'smtpFrom'>) {
  if (config.smtpUrl === undefined) return async (): Promise<boolean> => false
  const transport = createTransport(config.smtpUrl)
  return async (
    to: string,
    invite: Invite,
    onError: (error: unknown) => void,
  ): Promise<boolean> => {
    try {
      await transport.sendMail({
        from: config.smtpFrom,
        to,
        subject: 'Your Backtrack account',
        text:
          `You have been invited to Backtrack.\n\n` +
          `Set your password here (the link works once, for 72 hours):\n${invite.url}\n`,
      })
      return true
    } catch (error) {
      onError(error)
      return false
    }
  }
}
