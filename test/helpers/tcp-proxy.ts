import { createConnection, createServer, type Socket } from 'node:net'
import type { DatabaseConfig } from '../../src/config.ts'

/** A TCP proxy on loopback in front of a database, to take the database away and give it back. */
export interface TcpProxy {
  port: number
  /** Drops every connection through the proxy and drops new ones as they arrive. */
  cut(): void
  /** Connections pass again. */
  restore(): void
  /** Connections stay open and new ones are accepted, but no byte passes: a database that hangs. */
  hang(): void
  close(): Promise<void>
}

export async function startTcpProxy(
  targetPort: number,
  targetHost = '127.0.0.1',
): Promise<TcpProxy> {
  const sockets = new Set<Socket>()
  let mode: 'pass' | 'cut' | 'hang' = 'pass'
  const track = (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => socket.destroy())
  }
  const server = createServer((client) => {
    track(client)
    if (mode === 'cut') return client.destroy()
    if (mode === 'hang') return client.pause()
    const upstream = createConnection({ port: targetPort, host: targetHost })
    track(upstream)
    client.pipe(upstream)
    upstream.pipe(client)
    client.on('close', () => upstream.destroy())
    upstream.on('close', () => client.destroy())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return {
    port,
    cut() {
      mode = 'cut'
      for (const socket of sockets) socket.destroy()
    },
    restore() {
      mode = 'pass'
    },
    hang() {
      mode = 'hang'
      for (const socket of sockets) {
        socket.unpipe()
        socket.pause()
      }
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}

/** The same PostgreSQL database and schema, reached through `proxy`. */
export function throughProxy(config: DatabaseConfig, proxy: TcpProxy): DatabaseConfig {
  if (config.engine !== 'postgres') throw new Error('only PostgreSQL is reached over TCP')
  const url = new URL(config.url)
  url.hostname = '127.0.0.1'
  url.port = String(proxy.port)
  return { ...config, url: url.href }
}
