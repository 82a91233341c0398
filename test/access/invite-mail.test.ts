import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { describeEachEngine } from '../helpers/engines.ts'
import { startTestServer, type TestServer } from '../helpers/test-server.ts'

interface Mail {
  to: string[]
  text: string
}

/** A real SMTP server on a loopback port that keeps what it receives. */
async function startSmtp() {
  const received: Mail[] = []
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, done) {
      let text = ''
      stream.on('data', (chunk: Buffer) => {
        text += chunk.toString()
      })
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), text })
        done()
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.server.address() as AddressInfo
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

describeEachEngine('invites by mail', (engine) => {
  let t: TestServer
  let smtp: Awaited<ReturnType<typeof startSmtp>>
  beforeEach(async () => {
    smtp = await startSmtp()
    t = await startTestServer(engine, {
      BACKTRACK_SMTP_URL: smtp.url,
      BACKTRACK_SMTP_FROM: 'Backtrack <noreply@track.example>',
    })
  })
  afterEach(async () => {
    await t.close()
    await smtp.close()
  })

  it('mails the invite link to the new user when BACKTRACK_SMTP_URL is set', async () => {
    const created = await t.request('POST', '/api/v1/users', {
      body: { email: 'new@example.com', role: 'analyst' },
    })
    expect(created.status).toBe(201)
    expect(created.body.invite_mailed).toBe(true)
    expect(smtp.received).toHaveLength(1)
    const [mail] = smtp.received
    expect(mail!.to).toEqual(['new@example.com'])
    expect(mail!.text).toContain('From: Backtrack <noreply@track.example>')
    expect(mail!.text.replace(/=\r\n/g, '')).toContain(created.body.invite_token)
  })
})
