import type { Report } from './present-report.ts'

/**
 * RFC 4180 CSV of a report's rows. Text cells a spreadsheet would run as a formula (=, +, -, @,
 * tab, CR at the start) get a leading apostrophe: sub ids come from affiliates' traffic.
 */
export function reportCsv(report: Report, columns: string[]): string {
  const lines = [columns.map(escapeCell).join(',')]
  for (const row of report.rows) {
    lines.push(columns.map((column) => formatCell(row[column] ?? null)).join(','))
  }
  return `${lines.join('\r\n')}\r\n`
}

function formatCell(value: string | number | null): string {
  if (value === null) return ''
  if (typeof value === 'number') return String(value)
  return escapeCell(/^[=+\-@\t\r]/.test(value) ? `'${value}` : value)
}

function escapeCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}
