/** Integer minor units as the exact decimal text of the currency: 175, 2 → "1.75"; 5, 0 → "5". */
export function formatMinorUnits(minor: number, digits: number): string {
  const text = String(Math.abs(minor)).padStart(digits + 1, '0')
  const sign = minor < 0 ? '-' : ''
  if (digits === 0) return sign + text
  return `${sign}${text.slice(0, -digits)}.${text.slice(-digits)}`
}
