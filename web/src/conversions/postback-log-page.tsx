import { ComingNext } from '../shared/coming-next.tsx'
import { PageTitle } from '../shell/app-shell.tsx'

export function PostbackLogPage() {
  return (
    <>
      <PageTitle>Postback log</PageTitle>
      <ComingNext call="GET /api/v1/postback-log" />
    </>
  )
}
