import 'uplot/dist/uPlot.min.css'
import { useElementSize } from '@mantine/hooks'
import { useEffect, useRef } from 'react'
import uPlot from 'uplot'

/** Clicks and conversions per hour as lines; `hours` are epoch seconds, one per point. */
export function TrafficChart({
  hours,
  clicks,
  conversions,
}: {
  hours: number[]
  clicks: number[]
  conversions: number[]
}) {
  const { ref: frame, width } = useElementSize()
  const target = useRef<HTMLDivElement>(null)

  useEffect(() => {
    if (!target.current || width === 0) return
    const plot = new uPlot(
      {
        width,
        height: 240,
        series: [
          {},
          { label: 'Clicks', stroke: '#3b5bdb', width: 2, fill: 'rgba(59,91,219,0.08)' },
          { label: 'Conversions', stroke: '#c2255c', width: 2, scale: 'conversions' },
        ],
        axes: [
          {},
          { label: 'Clicks' },
          { side: 1, scale: 'conversions', label: 'Conversions', grid: { show: false } },
        ],
        scales: { conversions: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
      },
      [hours, clicks, conversions],
      target.current,
    )
    return () => plot.destroy()
  }, [width, hours, clicks, conversions])

  const total = (values: number[]) => values.reduce((sum, value) => sum + value, 0)
  return (
    <figure
      ref={frame}
      style={{ margin: 0 }}
      aria-label="Clicks and conversions per hour, last 7 days"
    >
      <div ref={target} />
      <figcaption
        style={{ fontSize: 'var(--mantine-font-size-sm)', color: 'var(--mantine-color-dimmed)' }}
      >
        Per hour over the last 7 days: clicks {total(clicks)}, conversions {total(conversions)}.
      </figcaption>
    </figure>
  )
}
