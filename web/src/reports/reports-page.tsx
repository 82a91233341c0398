import { ComingNext } from '../shared/coming-next.tsx'
import { PageTitle } from '../shell/app-shell.tsx'

export function ReportsPage() {
  return (
    <>
      <PageTitle>Reports</PageTitle>
      <ComingNext call="GET /api/v1/reports?group_by=day,offer_id" />
    </>
  )
}
