import { useEffect, useRef } from 'react'
import { may } from '../access/may.ts'
import { useSession } from '../access/session.ts'
import { apiKey } from '../api/credentials.ts'

/** One event of `/api/v1/live`: its name (`click`, `conversion`) and parsed data. */
export interface LiveEvent {
  id: string | undefined
  event: string
  data: Record<string, unknown>
}

/**
 * Listens to the live feed while mounted. EventSource cannot send the Bearer header an API key
 * needs, so the stream is read with fetch; after a drop it reconnects with the last event id,
 * which the server resumes from.
 */
export function useLiveEvents(onEvent: (event: LiveEvent) => void): void {
  const handler = useRef(onEvent)
  handler.current = onEvent
  // A role without the feed (an advertiser) would be refused on every reconnect.
  const allowed = may(useSession(), 'GET /api/v1/live')
  useEffect(() => {
    if (!allowed) return
    const stop = new AbortController()
    void follow(stop.signal, (event) => handler.current(event))
    return () => stop.abort()
  }, [allowed])
}

async function follow(signal: AbortSignal, emit: (event: LiveEvent) => void): Promise<void> {
  let lastId: string | undefined
  while (!signal.aborted) {
    try {
      const headers: Record<string, string> = { accept: 'text/event-stream' }
      const key = apiKey()
      if (key) headers.authorization = `Bearer ${key}`
      if (lastId) headers['last-event-id'] = lastId
      const response = await fetch('/api/v1/live', { headers, signal, credentials: 'same-origin' })
      if (!response.ok || !response.body) throw new Error(`live feed answered ${response.status}`)
      for await (const event of serverSentEvents(response.body)) {
        lastId = event.id ?? lastId
        emit(event)
      }
    } catch {
      // Dropped or refused: wait as the server's `retry: 2000` asks, then reconnect.
    }
    await new Promise((resolve) => setTimeout(resolve, 2000))
  }
}

async function* serverSentEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<LiveEvent> {
  const reader = body
    .pipeThrough(new TextDecoderStream() as TransformStream<Uint8Array, string>)
    .getReader()
  let buffer = ''
  for (;;) {
    const { value, done } = await reader.read()
    if (done) return
    buffer += value
    let end = buffer.indexOf('\n\n')
    while (end >= 0) {
      const block = buffer.slice(0, end)
      buffer = buffer.slice(end + 2)
      const event = parseBlock(block)
      if (event) yield event
      end = buffer.indexOf('\n\n')
    }
  }
}

function parseBlock(block: string): LiveEvent | undefined {
  let id: string | undefined
  let event = 'message'
  const data: string[] = []
  for (const line of block.split('\n')) {
    if (line.startsWith('id:')) id = line.slice(3).trim()
    else if (line.startsWith('event:')) event = line.slice(6).trim()
    else if (line.startsWith('data:')) data.push(line.slice(5).trimStart())
  }
  if (data.length === 0) return undefined
  try {
    return { id, event, data: JSON.parse(data.join('\n')) }
  } catch {
    return undefined
  }
}
