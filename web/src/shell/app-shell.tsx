import { Burger, Button, AppShell as Frame, Group, Menu, NavLink, Text, Title } from '@mantine/core'
import { useDisclosure } from '@mantine/hooks'
import { useQueryClient } from '@tanstack/react-query'
import { Link, Outlet, useNavigate, useRouterState } from '@tanstack/react-router'
import { may } from '../access/may.ts'
import { roleOf, type Session, useSession } from '../access/session.ts'
import { signOut } from '../access/sign-in.ts'

// Each page with the API call it stands on: the navigation shows what the role may use.
const PAGES = [
  { to: '/', label: 'Dashboard', uses: 'GET /api/v1/reports' },
  { to: '/integration', label: 'Integration', uses: 'GET /api/v1/advertisers/:id/latest-click' },
  { to: '/offers', label: 'Offers', uses: 'GET /api/v1/offers' },
  { to: '/links', label: 'Links', uses: 'POST /api/v1/offers/:id/access-requests' },
  { to: '/access-requests', label: 'Access requests', uses: 'PATCH /api/v1/access-requests/:id' },
  { to: '/advertisers', label: 'Advertisers', uses: 'GET /api/v1/advertisers' },
  { to: '/affiliates', label: 'Affiliates', uses: 'GET /api/v1/affiliates' },
  { to: '/postbacks', label: 'Postbacks', uses: 'GET /api/v1/postbacks' },
  { to: '/blocklist', label: 'Blocklist', uses: 'GET /api/v1/blocklist' },
  { to: '/conversions', label: 'Conversions', uses: 'GET /api/v1/conversions' },
  { to: '/review', label: 'Review queue', uses: 'POST /api/v1/conversions/review' },
  { to: '/fraud-rules', label: 'Fraud rules', uses: 'GET /api/v1/settings/fraud' },
  { to: '/clicks', label: 'Clicks', uses: 'GET /api/v1/clicks' },
  { to: '/reports', label: 'Reports', uses: 'GET /api/v1/reports' },
  { to: '/postback-log', label: 'Postback log', uses: 'GET /api/v1/postback-log' },
  { to: '/deliveries', label: 'Deliveries', uses: 'GET /api/v1/deliveries' },
  // What an affiliate is owed per month; the network's people read it in Reports.
  { to: '/payouts', label: 'Payouts', uses: 'POST /api/v1/offers/:id/access-requests' },
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
            <UserMenu session={session} />
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

/** Who is signed in; a person's menu leads to their password and two-factor. */
function UserMenu({ session }: { session: Session | null }) {
  if (session?.kind !== 'user') {
    return (
      <Text size="sm" c="dimmed">
        {session?.user ? `API key of ${session.user.email}` : 'API key'} ({roleOf(session)})
      </Text>
    )
  }
  return (
    <Menu position="bottom-end">
      <Menu.Target>
        <Button variant="subtle" size="compact-sm" color="gray">
          {session.user.email} ({session.user.role})
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item component={Link} to="/change-password">
          Change password
        </Menu.Item>
        <Menu.Item component={Link} to="/two-factor">
          Two-factor
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  )
}

/**
 * Whether the navigation lists a page: one the role may use; two-factor only for a person; and
 * while the server requires two-factor set up first, nothing else.
 */
function shown(session: Session | null, page: (typeof PAGES)[number]): boolean {
  if (page.to === '/two-factor') return Boolean(session?.user)
  // An advertiser's own integration; staff find each advertiser's postback URL on its page.
  if (page.to === '/integration') return roleOf(session) === 'advertiser'
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
