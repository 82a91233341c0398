import { Button, Group, Paper, Table, Text, TextInput } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { getRouteApi } from '@tanstack/react-router'
import type { FormEvent } from 'react'
import { dataOrThrow } from '../api/api-error.ts'
import { api } from '../api/client.ts'
import { ErrorAlert } from '../shared/error-alert.tsx'
import { PageTitle } from '../shell/app-shell.tsx'

const route = getRouteApi('/app/clicks')

/** One click by its id: what a conversion or an affiliate's question starts from. */
export function ClicksPage() {
  const { click_id } = route.useSearch()
  const navigate = route.useNavigate()
  const click = useQuery({
    queryKey: ['clicks', click_id],
    queryFn: async () =>
      dataOrThrow(
        await api.GET('/api/v1/clicks/{click_id}', { params: { path: { click_id: click_id! } } }),
      ),
    enabled: click_id !== undefined,
  })

  const lookUp = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const id = String(new FormData(event.currentTarget).get('click_id') ?? '').trim()
    void navigate({ search: { click_id: id || undefined } })
  }

  return (
    <>
      <PageTitle>Clicks</PageTitle>
      <form aria-label="Look up a click" onSubmit={lookUp}>
        <Group align="flex-end" mb="md">
          <TextInput
            label="Click id"
            name="click_id"
            defaultValue={click_id ?? ''}
            key={click_id}
            w={360}
          />
          <Button type="submit">Look up</Button>
        </Group>
      </form>
      <ErrorAlert error={click.error} title="No such click" />
      {!click_id && (
        <Text c="dimmed">
          Paste a click id (from a conversion, the postback log or the affiliate's own records) to
          see where the click came from.
        </Text>
      )}
      {click.data && (
        <Paper withBorder maw={720}>
          <Table>
            <Table.Tbody>
              {Object.entries(click.data).map(([field, value]) => (
                <Table.Tr key={field}>
                  <Table.Th scope="row" w={160}>
                    {field}
                  </Table.Th>
                  <Table.Td style={{ wordBreak: 'break-all' }}>
                    {value === null ? '—' : String(value)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      )}
    </>
  )
}
