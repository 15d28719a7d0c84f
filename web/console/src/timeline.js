// Arrivals and referrals per interval (Situation.timeline) as a Chart.js bar chart, updated in
// place on every push. A suppressed bucket (1 to T-1) has no bar: a hatched band from 0 up to T
// says "fewer than T" without drawing a precise small number.

import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';
import { h, renderIfChanged, byId } from './dom.js';
import { countView, formatDateTime, formatDuration, formatShortClock, parseTime } from './format.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend);

const SERIES = [
  { key: 'arrivals', label: 'Arrivals (cases registered)', color: '#2f5f98' },
  { key: 'referrals', label: 'Referrals made', color: '#d9822b' },
];
const CATEGORY_PERCENTAGE = 0.8;
const BAR_PERCENTAGE = 0.9;

let chart = null;
let hatch = null;

function hatchPattern(ctx) {
  if (hatch) return hatch;
  const tile = document.createElement('canvas');
  tile.width = 6;
  tile.height = 6;
  const t = tile.getContext('2d');
  t.strokeStyle = 'rgba(70, 80, 95, 0.75)';
  t.lineWidth = 1;
  t.beginPath();
  t.moveTo(0, 6);
  t.lineTo(6, 0);
  t.moveTo(-1, 1);
  t.lineTo(1, -1);
  t.moveTo(5, 7);
  t.lineTo(7, 5);
  t.stroke();
  hatch = ctx.createPattern(tile, 'repeat');
  return hatch;
}

// Draws the "fewer than T" bands of suppressed buckets where their bars would be.
const suppressedBands = {
  id: 'suppressedBands',
  afterDatasetsDraw(c) {
    const info = c.$pact;
    if (!info || !info.suppressed.some((row) => row.some(Boolean))) return;
    const { ctx, chartArea, scales } = c;
    const x = scales.x;
    const y = scales.y;
    const n = c.data.labels.length;
    if (!n) return;
    const category = n > 1 ? Math.abs(x.getPixelForValue(1) - x.getPixelForValue(0)) : chartArea.right - chartArea.left;
    const slot = (category * CATEGORY_PERCENTAGE) / SERIES.length;
    const barWidth = slot * BAR_PERCENTAGE;
    const top = Math.max(chartArea.top, y.getPixelForValue(info.threshold));
    const bottom = y.getPixelForValue(0);
    ctx.save();
    ctx.beginPath();
    ctx.rect(chartArea.left, chartArea.top, chartArea.right - chartArea.left, chartArea.bottom - chartArea.top);
    ctx.clip();
    for (let i = 0; i < n; i += 1) {
      const center = x.getPixelForValue(i);
      SERIES.forEach((series, d) => {
        if (!info.suppressed[d][i]) return;
        const left = center - (category * CATEGORY_PERCENTAGE) / 2 + slot * d + (slot - barWidth) / 2;
        ctx.fillStyle = hatchPattern(ctx);
        ctx.fillRect(left, top, barWidth, bottom - top);
        ctx.strokeStyle = series.color;
        ctx.setLineDash([2, 2]);
        ctx.lineWidth = 1;
        ctx.strokeRect(left + 0.5, top + 0.5, barWidth - 1, bottom - top - 1);
      });
    }
    ctx.restore();
  },
};

function labelsFor(buckets) {
  const starts = buckets.map((b) => parseTime(b.start));
  const first = starts.find(Boolean);
  const last = [...starts].reverse().find(Boolean);
  const multiDay = first && last && (last - first) >= 20 * 3600 * 1000;
  return starts.map((d) => (d ? (multiDay ? formatDateTime(d) : formatShortClock(d)) : ''));
}

export function renderTimeline(s) {
  const t = s.suppressionThreshold || 0;
  const buckets = s.timeline || [];
  const bucketText = formatDuration(s.timelineBucketSeconds);
  byId('timeline-sub').textContent = bucketText ? `per ${bucketText}` : '';
  const anySuppressed = buckets.some((b) => b.arrivals?.suppressed || b.referrals?.suppressed);
  byId('timeline-note').textContent = anySuppressed
    ? `Hatched bars: fewer than ${t} (suppressed); the exact figure is not shown.`
    : '';

  const labels = labelsFor(buckets);
  const data = SERIES.map((series) => buckets.map((b) => {
    const c = b[series.key];
    return !c || c.suppressed ? null : Number(c.value) || 0;
  }));
  const suppressed = SERIES.map((series) => buckets.map((b) => Boolean(b[series.key]?.suppressed)));

  const canvas = byId('timeline-chart');
  if (!chart) {
    chart = new Chart(canvas, {
      type: 'bar',
      data: {
        labels,
        datasets: SERIES.map((series, d) => ({
          label: series.label,
          data: data[d],
          backgroundColor: series.color,
          borderWidth: 0,
          categoryPercentage: CATEGORY_PERCENTAGE,
          barPercentage: BAR_PERCENTAGE,
        })),
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: 'index', intersect: false },
        scales: {
          x: { grid: { display: false }, ticks: { autoSkip: true, maxRotation: 0, color: '#3d4a58', font: { size: 11 } } },
          y: { beginAtZero: true, suggestedMax: t, ticks: { precision: 0, color: '#3d4a58', font: { size: 11 } }, grid: { color: '#e3e8ee' } },
        },
        plugins: {
          legend: { position: 'top', align: 'end', labels: { boxWidth: 12, boxHeight: 12, color: '#1d2733', font: { size: 12 } } },
          tooltip: {
            callbacks: {
              afterBody(items) {
                if (!items.length) return '';
                const i = items[0].dataIndex;
                const info = chart.$pact;
                return SERIES.filter((_, d) => info.suppressed[d][i]).map((series) => `${series.label}: <${info.threshold} (suppressed)`);
              },
            },
          },
        },
      },
      plugins: [suppressedBands],
    });
  } else {
    chart.data.labels = labels;
    chart.data.datasets.forEach((ds, d) => { ds.data = data[d]; });
    chart.options.scales.y.suggestedMax = t;
  }
  chart.$pact = { suppressed, threshold: t };
  chart.update('none');

  renderIfChanged(byId('timeline-table-wrap'), 'timeline-table', { buckets, t }, () => h('table', { class: 'grid grid-compact' },
    h('caption', { class: 'visually-hidden' }, 'Arrivals and referrals per interval'),
    h('thead', null, h('tr', null,
      h('th', { scope: 'col' }, 'Interval from'),
      h('th', { scope: 'col', class: 'num' }, 'Arrivals'),
      h('th', { scope: 'col', class: 'num' }, 'Referrals'))),
    h('tbody', null, buckets.map((b, i) => h('tr', null,
      h('th', { scope: 'row' }, labels[i] || '—'),
      h('td', { class: 'num' }, countView(b.arrivals, t).text),
      h('td', { class: 'num' }, countView(b.referrals, t).text))))));
}

export function destroyTimeline() {
  if (chart) {
    chart.destroy();
    chart = null;
  }
}
