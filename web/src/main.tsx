import '@mantine/core/styles.css'
import '@mantine/notifications/styles.css'
import { MantineProvider } from '@mantine/core'
import { Notifications } from '@mantine/notifications'
import { QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { RouterProvider } from '@tanstack/react-router'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { SESSION_QUERY } from './access/session.ts'
import { ApiError } from './api/api-error.ts'
import { forgetCredentials } from './api/credentials.ts'
import { createAppRouter } from './router.tsx'
import { cssVariables, theme } from './theme.ts'

const queryClient = new QueryClient({
  defaultOptions: { queries: { staleTime: 10_000, retry: 1, refetchOnWindowFocus: true } },
  // A session that ended (key revoked, cookie expired) sends the person to sign in again.
  queryCache: new QueryCache({
    onError: (error) => {
      if (!(error instanceof ApiError) || error.status !== 401) return
      forgetCredentials()
      queryClient.setQueryData(SESSION_QUERY.queryKey, null)
      void router.navigate({ to: '/sign-in', search: { redirect: router.state.location.href } })
    },
  }),
})
const router = createAppRouter(queryClient)

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MantineProvider theme={theme} cssVariablesResolver={cssVariables}>
      <Notifications />
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
)
