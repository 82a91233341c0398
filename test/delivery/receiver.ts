import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface Received {
  method: string
  url: string
  headers: IncomingMessage['headers']
  body: string
  at: number
}

export interface Receiver {
  url: string
  received: Received[]
  /** Answers each request; the default is 200 "ok". */
  respond: (request: Received, response: ServerResponse) => void
  close(): Promise<void>
}

/** A real HTTP server on loopback that records every request it gets. */
export async function startReceiver(
  respond: Receiver['respond'] = (_request, response) => response.end('ok'),
  port = 0,
): Promise<Receiver> {
  const receiver: Receiver = {
    url: '',
    received: [],
    respond,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
  const server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const received: Received = {
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
      }
      receiver.received.push(received)
      receiver.respond(received, response)
    })
  })
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return receiver
}
