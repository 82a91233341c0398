import { Burger, Button, AppShell as Frame, Group, NavLink, Text, Title } from '@mantine/core'
import { useDisclosure } from '@mantine/hooks'
import { useQueryClient } from '@tanstack/react-query'
import { Link, Outlet, useNavigate, useRouterState } from '@tanstack/react-router'
import { may } from '../access/may.ts'
import { type Session, useSession } from '../access/session.ts'
import { signOut } from '../access/sign-in.ts'

// Each page with the API call it stands on: the navigation shows what the role may use.
const PAGES = [
  { to: '/', label: 'Dashboard', uses: 'GET /api/v1/reports' },
  { to: '/offers', label: 'Offers', uses: 'GET /api/v1/offers' },
  { to: '/advertisers', label: 'Advertisers', uses: 'GET /api/v1/advertisers' },
  { to: '/affiliates', label: 'Affiliates', uses: 'GET /api/v1/affiliates' },
  { to: '/postbacks', label: 'Postbacks', uses: 'GET /api/v1/postbacks' },
  { to: '/conversions', label: 'Conversions', uses: 'GET /api/v1/conversions' },
  { to: '/review', label: 'Review queue', uses: 'POST /api/v1/conversions/review' },
  { to: '/fraud-rules', label: 'Fraud rules', uses: 'GET /api/v1/settings/fraud' },
  { to: '/clicks', label: 'Clicks', uses: 'GET /api/v1/clicks/:click_id' },
  { to: '/reports', label: 'Reports', uses: 'GET /api/v1/reports' },
  { to: '/postback-log', label: 'Postback log', uses: 'GET /api/v1/postback-log' },
  { to: '/deliveries', label: 'Deliveries', uses: 'GET /api/v1/deliveries' },
  { to: '/users', label: 'Users', uses: 'GET /api/v1/users' },
  { to: '/api-keys', label: 'API keys', uses: 'GET /api/v1/api-keys' },
  { to: '/audit-log', label: 'Audit log', uses: 'GET /api/v1/audit-log' },
  { to: '/two-factor', label: 'Two-factor', uses: 'POST /api/v1/me/totp' },
] as const

/** The frame of every signed-in page: header, the navigation, and the page in the main area. */
export function AppShell() {
  const [opened, { toggle, close }] = useDisclosure()
  const pathname = useRouterState({ select: (state) => state.location.pathname })
  const queryClient = useQueryClient()
  const navigate = useNavigate()
  const session = useSession()

  const leave = async () => {
    await signOut(session)
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
              {session?.user ? `${session.user.email} (${session.user.role})` : 'API key'}
            </Text>
            <Button variant="subtle" size="compact-sm" onClick={leave}>
              Sign out
            </Button>
          </Group>
        </Group>
      </Frame.Header>
      <Frame.Navbar p="xs" component="nav" aria-label="Main">
        {PAGES.filter((page) => shown(session, page)).map((page) => (
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

/**
 * Whether the navigation lists a page: one the role may use; two-factor only for a person; and
 * while the server requires two-factor set up first, nothing else.
 */
function shown(session: Session | null, page: (typeof PAGES)[number]): boolean {
  if (page.to === '/two-factor') return Boolean(session?.user)
  if (session?.kind === 'user' && session.twoFactorSetupRequired) return false
  return may(session, page.uses)
}

/** A page's one heading, the name tests and screen readers find it by. */
export function PageTitle({ children }: { children: string }) {
  return (
    <Title order={1} size="h2" mb="md">
      {children}
    </Title>
  )
}
