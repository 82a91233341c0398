import { Burger, Button, AppShell as Frame, Group, NavLink, Text, Title } from '@mantine/core'
import { useDisclosure } from '@mantine/hooks'
import { useQueryClient } from '@tanstack/react-query'
import { Link, Outlet, useNavigate, useRouterState } from '@tanstack/react-router'
import { SESSION_QUERY, type Session } from '../access/session.ts'
import { signOut } from '../access/sign-in.ts'

const PAGES = [
  { to: '/', label: 'Dashboard' },
  { to: '/offers', label: 'Offers' },
  { to: '/advertisers', label: 'Advertisers' },
  { to: '/affiliates', label: 'Affiliates' },
  { to: '/conversions', label: 'Conversions' },
  { to: '/clicks', label: 'Clicks' },
  { to: '/reports', label: 'Reports' },
  { to: '/postback-log', label: 'Postback log' },
  { to: '/deliveries', label: 'Deliveries' },
] as const

/** The frame of every signed-in page: header, the navigation, and the page in the main area. */
export function AppShell() {
  const [opened, { toggle, close }] = useDisclosure()
  const pathname = useRouterState({ select: (state) => state.location.pathname })
  const queryClient = useQueryClient()
  const navigate = useNavigate()
  const session = queryClient.getQueryData<Session | null>(SESSION_QUERY.queryKey)

  const leave = async () => {
    await signOut(session ?? null)
    queryClient.clear()
    await navigate({ to: '/sign-in', search: {} })
  }

  return (
    <Frame
      header={{ height: 56 }}
      navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <Frame.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group>
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label="Toggle navigation"
            />
            <Text fw={700} size="lg">
              Backtrack
            </Text>
          </Group>
          <Group>
            <Text size="sm" c="dimmed">
              {session?.kind === 'user' ? session.user.email : 'API key'}
            </Text>
            <Button variant="subtle" size="compact-sm" onClick={leave}>
              Sign out
            </Button>
          </Group>
        </Group>
      </Frame.Header>
      <Frame.Navbar p="xs" component="nav" aria-label="Main">
        {PAGES.map((page) => (
          <NavLink
            key={page.to}
            component={Link}
            to={page.to}
            label={page.label}
            variant="filled"
            active={page.to === '/' ? pathname === '/' : pathname.startsWith(page.to)}
            aria-current={
              (page.to === '/' ? pathname === '/' : pathname.startsWith(page.to))
                ? 'page'
                : undefined
            }
            onClick={close}
          />
        ))}
      </Frame.Navbar>
      <Frame.Main>
        <Outlet />
      </Frame.Main>
    </Frame>
  )
}

/** A page's one heading, the name tests and screen readers find it by. */
export function PageTitle({ children }: { children: string }) {
  return (
    <Title order={1} size="h2" mb="md">
      {children}
    </Title>
  )
}
