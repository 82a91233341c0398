import { ComingNext } from '../shared/coming-next.tsx'
import { PageTitle } from '../shell/app-shell.tsx'

export function DeliveriesPage() {
  return (
    <>
      <PageTitle>Deliveries</PageTitle>
      <ComingNext call="GET /api/v1/deliveries" />
    </>
  )
}
