/**
 * The event id of one (status change, endpoint): derived from the two ids, so a retry, a replay
 * or a second enqueue of the same change can only ever carry the same id.
 */
export function eventIdFor(changeId: number, endpointId: number): string {
  return `evt_${changeId}_${endpointId}`
}
