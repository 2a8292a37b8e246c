import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { Series } from '../lib/series';

/**
 * A live line chart (uPlot: canvas, a few kB, redraws thousands of points within a frame). Data is
 * swapped in place with setData: the chart is built once per set of lines, not per update.
 */
export function LineChart({ series, labels, colors, height = 180, title }: {
  series: Series;
  labels: string[];
  colors: string[];
  height?: number;
  title: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);

  useEffect(() => {
    const el = box.current!;
    const plot = new uPlot(
      {
        title,
        width: el.clientWidth || 600,
        height,
        series: [{}, ...labels.map((label, i) => ({ label, stroke: colors[i], width: 2 }))],
        axes: [{}, { size: 60 }],
        legend: { live: false },
      },
      [[], ...labels.map(() => [])],
      el,
    );
    chart.current = plot;
    const resize = new ResizeObserver(() => plot.setSize({ width: el.clientWidth, height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
      chart.current = null;
    };
  }, [labels.join('|'), colors.join('|'), height, title]);

  useEffect(() => {
    chart.current?.setData([series.t, ...series.values]);
  }, [series]);

  return <div className="chart" ref={box} role="img" aria-label={title} />;
}
