// Postback URLs of the trackers affiliates run, with each tracker's own parameter names
// (docs/tracker-presets.md). The affiliate passes its tracker's click id as `sub1` on the
// tracking link; `{sub1}` gives it back. The host in capitals is the affiliate's to replace.

export interface TrackerPreset {
  value: string
  label: string
  url: string
}

export const TRACKER_PRESETS: readonly TrackerPreset[] = [
  {
    value: 'voluum',
    label: 'Voluum',
    url: 'https://YOUR-VOLUUM-DOMAIN/postback?cid={sub1}&payout={payout}&txid={conversion_id}',
  },
  {
    value: 'binom',
    label: 'Binom',
    url: 'https://YOUR-BINOM-DOMAIN/click.php?cnv_id={sub1}&payout={payout}&cnv_status={status}',
  },
  {
    value: 'keitaro',
    label: 'Keitaro',
    url: 'https://YOUR-KEITARO-DOMAIN/YOUR-POSTBACK-KEY/postback?subid={sub1}&payout={payout}&status={status}&tid={conversion_id}',
  },
  {
    value: 'redtrack',
    label: 'RedTrack',
    url: 'https://YOUR-REDTRACK-DOMAIN/postback?clickid={sub1}&sum={payout}&type={goal}',
  },
  {
    value: 'everflow',
    label: 'Everflow',
    url: 'https://YOUR-EVERFLOW-DOMAIN/?nid=YOUR-NETWORK-ID&transaction_id={sub1}&amount={payout}',
  },
  {
    value: 'custom',
    label: 'Custom',
    url: 'https://YOUR-SERVER/postback?click_id={sub1}&payout={payout}&currency={currency}&status={status}&goal={goal}&conversion_id={conversion_id}',
  },
]
