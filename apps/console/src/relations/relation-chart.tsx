// The pair's chart: daily Goldstein sum as bars, the 7- and 30-day tension as lines (uPlot, on a canvas).
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { type RelationDay, tensionSeries } from './tension-series.js';

const dayS = 86_400;
const stepped = uPlot.paths.stepped!({ align: 1 });

export function RelationChart({ days, label }: { days: RelationDay[]; label: string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = box.current;
    if (!element || days.length === 0) return;
    const data: uPlot.AlignedData = [
      days.map((day) => Date.parse(`${day.date}T00:00:00Z`) / 1000),
      days.map((day) => day.goldsteinSum),
      tensionSeries(days, 7),
      tensionSeries(days, 30),
    ];
    const width = () => Math.max(320, element.clientWidth);
    const chart = new uPlot({
      width: width(),
      height: 320,
      // Bars stand on zero; a day's margin either side keeps the first and last bars whole.
      scales: {
        x: { time: true, range: (_, min, max) => [min - dayS, max + dayS] },
        goldstein: { range: (_, min, max) => [Math.min(0, min) - 1, Math.max(0, max) + 1] },
        tension: { range: [-10, 10] },
      },
      legend: { live: false },
      axes: [
        {},
        { scale: 'goldstein', label: 'Goldstein sum per day' },
        { scale: 'tension', side: 1, label: 'Tension index', grid: { show: false } },
      ],
      series: [
        { label: 'Day', value: (_, seconds) => (seconds === null ? '—' : new Date(seconds * 1000).toISOString().slice(0, 10)) },
        { label: 'Goldstein sum', scale: 'goldstein', stroke: '#51606f', fill: 'rgba(81, 96, 111, 0.35)', paths: uPlot.paths.bars!({ size: [0.6, 48] }) },
        // A tension holds from one development to the next (ADR 0003): steps, not slopes.
        { label: '7-day tension', scale: 'tension', stroke: '#b3261e', width: 2, spanGaps: true, paths: stepped },
        { label: '30-day tension', scale: 'tension', stroke: '#1d5fa8', width: 2, dash: [6, 4], spanGaps: true, paths: stepped },
      ],
    }, data, element);
    const resized = new ResizeObserver(() => chart.setSize({ width: width(), height: 320 }));
    resized.observe(element);
    return () => {
      resized.disconnect();
      chart.destroy();
    };
  }, [days]);
  return <div ref={box} class="chart" role="img" aria-label={label} />;
}
