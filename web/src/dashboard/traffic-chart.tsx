import 'uplot/dist/uPlot.min.css'
import { useElementSize } from '@mantine/hooks'
import { useEffect, useRef } from 'react'
import uPlot from 'uplot'
import type { Step } from '../reports/time-series.ts'

const DAY = 86_400
// Counts tick on whole numbers only: 1, 2, 5, 10, 20, 50… (uPlot's default also offers 0.2).
const COUNT_STEPS = Array.from(
  { length: 30 },
  (_, i) => [1, 2, 5][i % 3]! * 10 ** Math.floor(i / 3),
)
const dayLabel = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' })

/**
 * Clicks and conversions as lines over time; `times` are epoch seconds, one per point, drawn in
 * the browser's time zone (the one the report was asked in). `caption` says what is shown.
 */
export function TrafficChart({
  times,
  clicks,
  conversions,
  step,
  caption,
}: {
  times: number[]
  clicks: number[]
  conversions: number[]
  step: Step
  caption: string
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
          { value: step === 'day' ? '{YYYY}-{MM}-{DD}' : '{YYYY}-{MM}-{DD} {HH}:00' },
          { label: 'Clicks', stroke: '#3b5bdb', width: 2, fill: 'rgba(59,91,219,0.08)' },
          { label: 'Conversions', stroke: '#c2255c', width: 2, scale: 'conversions' },
        ],
        axes: [
          step === 'day'
            ? {
                // Whole days only: no "12pm" ticks between them.
                incrs: [DAY, 2 * DAY, 7 * DAY, 14 * DAY],
                values: (_u, splits) => splits.map((at) => dayLabel.format(at * 1000)),
              }
            : {},
          { label: 'Clicks', incrs: COUNT_STEPS },
          {
            side: 1,
            scale: 'conversions',
            label: 'Conversions',
            grid: { show: false },
            incrs: COUNT_STEPS,
          },
        ],
        scales: {
          y: { range: (_u, _min, max) => [0, Math.max(1, max)] },
          conversions: { range: (_u, _min, max) => [0, Math.max(1, max)] },
        },
      },
      [times, clicks, conversions],
      target.current,
    )
    return () => plot.destroy()
  }, [width, times, clicks, conversions, step])

  const total = (values: number[]) => values.reduce((sum, value) => sum + value, 0)
  return (
    <figure ref={frame} style={{ margin: 0 }} aria-label={caption}>
      <div ref={target} />
      <figcaption
        style={{ fontSize: 'var(--mantine-font-size-sm)', color: 'var(--mantine-color-dimmed)' }}
      >
        {caption}: clicks {total(clicks)}, conversions {total(conversions)}.
      </figcaption>
    </figure>
  )
}
