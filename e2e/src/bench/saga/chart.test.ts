import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { latencyChartSvg, linearTicks, logTicks, msLabel, svgToPng } from './chart.js';

const chart = {
  title: 'Saga latency <by> offered rate',
  subtitle: ['2 × Test CPU', 'mix ok 85'],
  points: [
    { rate: 10, p50Ms: 40, p99Ms: 120, keptUp: true },
    { rate: 20, p50Ms: 45, p99Ms: 200, keptUp: true },
    { rate: 40, p50Ms: 900, p99Ms: 6000, keptUp: false },
  ],
};

/** The centres of the points drawn for one series, in order. */
const circles = (svg: string, series: 'p50' | 'p99') =>
  [...svg.matchAll(/<circle class="(p\d+)" cx="([\d.]+)" cy="([\d.]+)"/g)]
    .filter((match) => match[1] === series)
    .map((match) => ({ x: Number(match[2]), y: Number(match[3]) }));

describe('saga latency chart', () => {
  it('ticks the rate axis from 0 past the highest rate in round steps', () => {
    assert.deepEqual(linearTicks(80), [0, 20, 40, 60, 80]);
    assert.deepEqual(linearTicks(100), [0, 20, 40, 60, 80, 100]);
    assert.deepEqual(linearTicks(7), [0, 2, 4, 6, 8]);
    assert.deepEqual(linearTicks(0.3), [0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3]);
    assert.deepEqual(linearTicks(0), [0, 1]);
  });

  it('spans whole decades on the latency axis, with 1-2-5 ticks', () => {
    assert.deepEqual(logTicks(40, 6000), {
      lo: 10,
      hi: 10_000,
      ticks: [10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000],
    });
    assert.deepEqual(logTicks(100, 100), { lo: 100, hi: 1000, ticks: [100, 200, 500, 1000] });
    assert.equal(logTicks(0, 5).lo, 0.1);
  });

  it('labels latencies in ms below a second and in s above', () => {
    assert.equal(msLabel(20), '20 ms');
    assert.equal(msLabel(0.5), '0.5 ms');
    assert.equal(msLabel(5000), '5 s');
  });

  it('draws p50 under p99, rates left to right, and escapes text', () => {
    const svg = latencyChartSvg(chart);
    const p50 = circles(svg, 'p50');
    const p99 = circles(svg, 'p99');
    assert.equal(p50.length, 3);
    assert.equal(p99.length, 3);
    for (let i = 0; i < 3; i++) {
      assert.ok(p99[i]!.y < p50[i]!.y, 'higher latency is drawn higher');
      assert.equal(p99[i]!.x, p50[i]!.x);
      if (i > 0) assert.ok(p50[i]!.x > p50[i - 1]!.x);
    }
    assert.match(svg, /Saga latency &lt;by&gt; offered rate/);
    assert.match(svg, /offered rate \(orders\/s/);
    assert.match(svg, />hollow: did not keep up</);
    assert.match(svg, />5 s</);
    assert.match(svg, />20 ms</);
  });

  it('draws a lone step, and no legend entry for hollow points when all kept up', () => {
    const svg = latencyChartSvg({ ...chart, points: [chart.points[0]!] });
    assert.equal(circles(svg, 'p50').length, 1);
    assert.doesNotMatch(svg, /<polyline/);
    assert.doesNotMatch(svg, /did not keep up/);
  });

  it('renders a PNG', () => {
    const png = svgToPng(latencyChartSvg(chart));
    assert.deepEqual([...png.subarray(1, 4)], [...Buffer.from('PNG')]);
  });
});
