// How report figures read on a page. Money arrives as exact decimal strings ("12.50") and is
// formatted as a string: Intl.NumberFormat reads a numeric string as an exact decimal, so
// 90071992547409.93 stays what it is, where Number() would make it …409.94.

/** A report cell: money is a decimal string, counts and rates are numbers, null is unknown. */
export type Cell = string | number | null | undefined

/** `$1,234.50`: an exact decimal in its currency; `—` when unknown (money of mixed currencies). */
export function formatMoney(
  amount: Cell,
  currency: Cell,
  options: { locale?: string; maxDigits?: number } = {},
): string {
  if (amount === null || amount === undefined || typeof currency !== 'string') return '—'
  const format = new Intl.NumberFormat(options.locale, {
    style: 'currency',
    currency,
    ...(options.maxDigits === undefined ? {} : { maximumFractionDigits: options.maxDigits }),
  })
  // The DOM types know only numbers; browsers take a decimal string and keep it exact.
  return format.format(String(amount) as unknown as number)
}

/** Earnings per click: smaller than a cent more often than not, so two more places than money. */
export function formatEpc(epc: Cell, currency: Cell, locale?: string): string {
  return formatMoney(epc, currency, { locale, maxDigits: 4 })
}

/** A conversion rate, a fraction from the API (0.125), as `12.5%`. */
export function formatRate(rate: Cell, locale?: string): string {
  if (rate === null || rate === undefined) return '—'
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 2 }).format(
    String(rate) as unknown as number,
  )
}

/** A count with its noun: `1 click`, `12 clicks`. */
export function counted(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`
}
