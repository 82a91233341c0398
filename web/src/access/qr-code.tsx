import { useMemo } from 'react'
import { encode } from 'uqr'

/**
 * A QR code of `text` as an SVG image, drawn from uqr's module matrix (one path, crisp at any
 * size). Its border is part of the code: scanners need the quiet zone.
 */
export function QrCode({
  text,
  label,
  size = 200,
}: {
  text: string
  label: string
  size?: number
}) {
  const { path, modules } = useMemo(() => {
    const { data, size: modules } = encode(text, { border: 4, ecc: 'M' })
    const squares: string[] = []
    data.forEach((row, y) => {
      row.forEach((dark, x) => {
        if (dark) squares.push(`M${x} ${y}h1v1h-1z`)
      })
    })
    return { path: squares.join(''), modules }
  }, [text])
  return (
    <svg
      role="img"
      aria-label={label}
      width={size}
      height={size}
      viewBox={`0 0 ${modules} ${modules}`}
      shapeRendering="crispEdges"
    >
      <rect width={modules} height={modules} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  )
}
