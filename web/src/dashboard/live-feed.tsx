import { List, Paper, Text, Title } from '@mantine/core'
import { useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { type LiveEvent, useLiveEvents } from '../live/use-live-events.ts'

const KEPT = 20

/** The latest clicks and conversions as they are committed; new ones also refresh the totals. */
export function LiveFeed() {
  const [events, setEvents] = useState<LiveEvent[]>([])
  const queryClient = useQueryClient()
  useLiveEvents((event) => {
    if (event.event !== 'click' && event.event !== 'conversion') return
    setEvents((kept) => [event, ...kept].slice(0, KEPT))
    void queryClient.invalidateQueries({ queryKey: ['reports'] })
    if (event.event === 'conversion')
      void queryClient.invalidateQueries({ queryKey: ['conversions'] })
  })
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="live-feed-title">
      <Title order={2} size="h4" id="live-feed-title" mb="xs">
        Live feed
      </Title>
      {events.length === 0 ? (
        <Text c="dimmed" size="sm">
          Waiting for traffic. Clicks and conversions show here the moment they happen: open an
          offer's tracking link to see one.
        </Text>
      ) : (
        <List size="sm" spacing={4} aria-live="polite">
          {events.map((event, index) => (
            <List.Item key={event.id ?? index}>{describe(event)}</List.Item>
          ))}
        </List>
      )}
    </Paper>
  )
}

function describe({ event, data }: LiveEvent): string {
  const at = new Date(String(data.created_at ?? data.at ?? Date.now())).toLocaleTimeString()
  if (event === 'click') {
    return `${at} click on offer ${data.offer_id} from affiliate ${data.affiliate_id}${data.country ? ` (${data.country})` : ''}`
  }
  return `${at} conversion ${data.status} on offer ${data.offer_id}, goal ${data.goal}, payout ${data.payout} ${data.currency}`
}
