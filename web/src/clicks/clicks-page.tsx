import { ComingNext } from '../shared/coming-next.tsx'
import { PageTitle } from '../shell/app-shell.tsx'

export function ClicksPage() {
  return (
    <>
      <PageTitle>Clicks</PageTitle>
      <ComingNext call="GET /api/v1/clicks/{click_id}" />
    </>
  )
}
