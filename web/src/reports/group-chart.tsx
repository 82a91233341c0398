import 'uplot/dist/uPlot.min.css'
import { useElementSize } from '@mantine/hooks'
import { useEffect, useRef } from 'react'
import uPlot from 'uplot'

/** Clicks and conversions of each group as bars side by side; `labels` name the groups. */
export function GroupChart({
  labels,
  clicks,
  conversions,
  caption,
}: {
  labels: string[]
  clicks: number[]
  conversions: number[]
  caption: string
}) {
  const { ref: frame, width } = useElementSize()
  const target = useRef<HTMLDivElement>(null)

  useEffect(() => {
    if (!target.current || width === 0 || labels.length === 0) return
    const bars = uPlot.paths.bars
    const positions = labels.map((_, index) => index)
    const plot = new uPlot(
      {
        width,
        height: 240,
        scales: {
          x: { time: false, range: [-0.5, labels.length - 0.5] },
          y: { range: (_u, _min, max) => [0, Math.max(1, max)] },
          conversions: { range: (_u, _min, max) => [0, Math.max(1, max)] },
        },
        series: [
          { value: (_u, index) => labels[index] ?? '' },
          {
            label: 'Clicks',
            stroke: '#3b5bdb',
            fill: 'rgba(59,91,219,0.5)',
            paths: bars?.({ size: [0.4], align: -1 }),
            points: { show: false },
          },
          {
            label: 'Conversions',
            stroke: '#c2255c',
            fill: 'rgba(194,37,92,0.6)',
            scale: 'conversions',
            paths: bars?.({ size: [0.4], align: 1 }),
            points: { show: false },
          },
        ],
        axes: [
          {
            splits: () => positions,
            values: (_u, splits) => splits.map((split) => truncate(labels[split] ?? '')),
          },
          { label: 'Clicks' },
          { side: 1, scale: 'conversions', label: 'Conversions', grid: { show: false } },
        ],
      },
      [positions, clicks, conversions],
      target.current,
    )
    return () => plot.destroy()
  }, [width, labels, clicks, conversions])

  return (
    <figure ref={frame} style={{ margin: 0 }} aria-label={caption}>
      <div ref={target} />
      <figcaption
        style={{ fontSize: 'var(--mantine-font-size-sm)', color: 'var(--mantine-color-dimmed)' }}
      >
        {caption}
      </figcaption>
    </figure>
  )
}

function truncate(label: string): string {
  return label.length > 14 ? `${label.slice(0, 13)}…` : label
}
