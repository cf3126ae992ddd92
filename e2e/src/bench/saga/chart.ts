// The sweep's chart: saga latency p50 and p99 (log scale) against the offered rate, drawn as SVG
// and rasterised to PNG by resvg with a bundled DejaVu Sans, so it reads the same on any machine.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Resvg } from '@resvg/resvg-js';

export interface LatencyPoint {
  /** Offered rate, orders/s. */
  rate: number;
  p50Ms: number;
  p99Ms: number;
  /** False for a step the platform could not keep up with (drawn hollow). */
  keptUp: boolean;
}

export interface LatencyChart {
  title: string;
  /** Lines under the title: machine, mix, step length. */
  subtitle: string[];
  points: readonly LatencyPoint[];
}

const WIDTH = 960;
const HEIGHT = 600;
const PLOT = { left: 90, right: WIDTH - 40, top: 110, bottom: HEIGHT - 70 };
const SERIES = [
  { key: 'p99Ms', label: 'p99', color: '#d62728' },
  { key: 'p50Ms', label: 'p50', color: '#1f77b4' },
] as const;
/** Latencies below this (ms) are drawn at it: a log scale has no zero. */
const FLOOR_MS = 0.1;

/** Ticks from 0 covering `max` in 1, 2, 2.5 or 5 × 10^k steps, about `count` of them. */
export function linearTicks(max: number, count = 6): number[] {
  if (!(max > 0)) return [0, 1];
  const rough = max / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = power * ([1, 2, 2.5, 5, 10].find((f) => f * power >= rough) ?? 10);
  return Array.from({ length: Math.ceil(max / step - 1e-9) + 1 }, (_, i) =>
    Number((i * step).toPrecision(12)),
  );
}

/** Whole decades around [min, max], with 1-2-5 ticks inside them. */
export function logTicks(min: number, max: number): { lo: number; hi: number; ticks: number[] } {
  const low = Math.floor(Math.log10(Math.max(min, FLOOR_MS)));
  let high = Math.ceil(Math.log10(Math.max(max, FLOOR_MS)));
  if (high === low) high++;
  const ticks = [];
  for (let e = low; e <= high; e++) {
    for (const f of e < high ? [1, 2, 5] : [1]) ticks.push(Number((f * 10 ** e).toPrecision(12)));
  }
  return { lo: 10 ** low, hi: 10 ** high, ticks };
}

export const msLabel = (ms: number) =>
  ms >= 1000 ? `${Number((ms / 1000).toPrecision(6))} s` : `${Number(ms.toPrecision(6))} ms`;

const xmlText = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const fixed = (value: number) => value.toFixed(1);

export function latencyChartSvg(chart: LatencyChart): string {
  const points = chart.points.filter((p) => Number.isFinite(p.p50Ms) && Number.isFinite(p.p99Ms));
  const xTicks = linearTicks(1.05 * Math.max(0, ...points.map((p) => p.rate)));
  const xMax = xTicks.at(-1)!;
  const latencies = points.flatMap((p) => [p.p50Ms, p.p99Ms]);
  const y = logTicks(Math.min(...latencies, 1e9), Math.max(...latencies, 0));
  const sx = (rate: number) => PLOT.left + ((PLOT.right - PLOT.left) * rate) / xMax;
  const sy = (ms: number) =>
    PLOT.bottom -
    ((PLOT.bottom - PLOT.top) * Math.log10(Math.max(ms, FLOOR_MS) / y.lo)) /
      Math.log10(y.hi / y.lo);
  // Over three decades, only the decades are labelled.
  const labelAll = Math.log10(y.hi / y.lo) <= 3;

  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" font-family="DejaVu Sans" font-size="13" fill="#222">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#fff"/>`,
    `<text x="${WIDTH / 2}" y="32" font-size="20" font-weight="bold" text-anchor="middle">${xmlText(chart.title)}</text>`,
    ...chart.subtitle.map(
      (line, i) =>
        `<text x="${WIDTH / 2}" y="${56 + i * 18}" font-size="12" fill="#555" text-anchor="middle">${xmlText(line)}</text>`,
    ),
  ];
  for (const tick of y.ticks) {
    const major = Number.isInteger(Math.log10(tick));
    out.push(
      `<line x1="${PLOT.left}" x2="${PLOT.right}" y1="${fixed(sy(tick))}" y2="${fixed(sy(tick))}" stroke="${major ? '#ccc' : '#eee'}"/>`,
    );
    if (major || labelAll) {
      out.push(
        `<text x="${PLOT.left - 8}" y="${fixed(sy(tick) + 4)}" text-anchor="end">${msLabel(tick)}</text>`,
      );
    }
  }
  for (const tick of xTicks) {
    out.push(
      `<line x1="${fixed(sx(tick))}" x2="${fixed(sx(tick))}" y1="${PLOT.top}" y2="${PLOT.bottom}" stroke="#eee"/>`,
      `<text x="${fixed(sx(tick))}" y="${PLOT.bottom + 20}" text-anchor="middle">${tick}</text>`,
    );
  }
  out.push(
    `<rect x="${PLOT.left}" y="${PLOT.top}" width="${PLOT.right - PLOT.left}" height="${PLOT.bottom - PLOT.top}" fill="none" stroke="#888"/>`,
    `<text x="${(PLOT.left + PLOT.right) / 2}" y="${HEIGHT - 22}" font-size="14" text-anchor="middle">offered rate (orders/s, open loop)</text>`,
    `<text transform="translate(22 ${(PLOT.top + PLOT.bottom) / 2}) rotate(-90)" font-size="14" text-anchor="middle">saga latency, 202 → terminal (log scale)</text>`,
  );
  for (const series of SERIES) {
    const xy = points.map((p) => [sx(p.rate), sy(p[series.key])] as const);
    if (xy.length > 1) {
      const path = xy.map(([px, py]) => `${fixed(px)},${fixed(py)}`).join(' ');
      out.push(
        `<polyline class="${series.label}" points="${path}" fill="none" stroke="${series.color}" stroke-width="2.5"/>`,
      );
    }
    points.forEach((p, i) => {
      const [px, py] = xy[i]!;
      out.push(
        `<circle class="${series.label}" cx="${fixed(px)}" cy="${fixed(py)}" r="5" stroke="${series.color}" stroke-width="2" fill="${p.keptUp ? series.color : '#fff'}"/>`,
      );
    });
  }
  const legend = [
    ...SERIES.map((s) => ({ text: s.label, color: s.color, fill: s.color })),
    ...(points.some((p) => !p.keptUp)
      ? [{ text: 'hollow: did not keep up', color: '#555', fill: '#fff' }]
      : []),
  ];
  out.push(
    `<rect x="${PLOT.left + 12}" y="${PLOT.top + 12}" width="${legend.length > 2 ? 210 : 80}" height="${legend.length * 22 + 8}" fill="#fff" fill-opacity="0.9" stroke="#ccc"/>`,
  );
  legend.forEach((entry, i) => {
    const ly = PLOT.top + 30 + i * 22;
    out.push(
      `<circle cx="${PLOT.left + 28}" cy="${ly - 4}" r="5" stroke="${entry.color}" stroke-width="2" fill="${entry.fill}"/>`,
      `<text x="${PLOT.left + 42}" y="${ly}">${xmlText(entry.text)}</text>`,
    );
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

const fontFiles = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map((file) =>
  createRequire(import.meta.url).resolve(`dejavu-fonts-ttf/ttf/${file}`),
);

/** Rasterises `svg` with the bundled font only, not the machine's. */
export function svgToPng(svg: string): Buffer {
  const resvg = new Resvg(svg, {
    font: { fontFiles, loadSystemFonts: false, defaultFontFamily: 'DejaVu Sans' },
  });
  return resvg.render().asPng();
}

export function writeLatencyChart(path: string, chart: LatencyChart): void {
  writeFileSync(path, svgToPng(latencyChartSvg(chart)));
}
