import type { StageMark } from '../engine/executor.js';

export interface Series {
  name: string;
  color: string;
  points: Array<{ t: number; v: number | undefined }>;
}

export const escapeHtml = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

const width = 720;
const height = 240;
const margin = { left: 56, right: 16, top: 28, bottom: 32 };

/** A step of 1, 2 or 5 × 10ⁿ giving about `count` ticks up to `max`. */
function niceStep(max: number, count: number): number {
  const raw = max / count || 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  return ([1, 2, 5, 10].find((factor) => factor * power >= raw) ?? 10) * power;
}

const format = (value: number) => (Math.abs(value) >= 100 ? value.toFixed(0) : String(Math.round(value * 100) / 100));

/**
 * A line chart as inline SVG (no script, no CDN): time in seconds across, one line per series,
 * a dashed line and label where each stage starts.
 */
export function lineChart(title: string, unit: string, series: Series[], marks: StageMark[] = []): string {
  const all = series.flatMap((line) => line.points.filter((point) => point.v !== undefined));
  const maxT = Math.max(1, ...all.map((point) => point.t), ...marks.map((mark) => mark.t));
  const maxV = Math.max(...all.map((point) => point.v as number), 0) * 1.1 || 1;
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const x = (t: number) => margin.left + (t / maxT) * plotW;
  const y = (v: number) => margin.top + plotH - (v / maxV) * plotH;
  const parts: string[] = [];

  const yStep = niceStep(maxV, 4);
  for (let v = 0; v <= maxV; v += yStep) {
    parts.push(`<line x1="${margin.left}" x2="${width - margin.right}" y1="${y(v)}" y2="${y(v)}" stroke="#e5e7eb"/>`);
    parts.push(`<text x="${margin.left - 6}" y="${y(v) + 4}" text-anchor="end" font-size="11" fill="#6b7280">${format(v)}</text>`);
  }
  const xStep = niceStep(maxT, 8);
  for (let t = 0; t <= maxT; t += xStep) {
    parts.push(`<text x="${x(t)}" y="${height - 12}" text-anchor="middle" font-size="11" fill="#6b7280">${format(t)} s</text>`);
  }
  for (const mark of marks) {
    parts.push(
      `<line class="stage" x1="${x(mark.t)}" x2="${x(mark.t)}" y1="${margin.top}" y2="${margin.top + plotH}" stroke="#9ca3af" stroke-dasharray="4 3"/>`,
      `<text x="${x(mark.t) + 3}" y="${margin.top + 10}" font-size="10" fill="#4b5563">${escapeHtml(mark.label)}</text>`,
    );
  }
  for (const line of series) {
    const points = line.points.filter((point) => point.v !== undefined);
    if (points.length === 0) continue;
    const d = points.map((point, index) => `${index ? 'L' : 'M'}${x(point.t).toFixed(1)},${y(point.v as number).toFixed(1)}`).join(' ');
    parts.push(`<path class="series" d="${d}" fill="none" stroke="${line.color}" stroke-width="1.6"/>`);
  }
  const legend = series
    .map((line, index) => `<tspan x="${margin.left + index * 150}" fill="${line.color}">■ ${escapeHtml(line.name)}</tspan>`)
    .join('');
  return `<figure>
<svg class="chart" role="img" aria-label="${escapeHtml(title)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">
<text x="${margin.left}" y="14" font-size="12" font-weight="600">${escapeHtml(title)} (${escapeHtml(unit)})</text>
<text y="${margin.top - 4}" font-size="11">${legend}</text>
<line x1="${margin.left}" x2="${margin.left}" y1="${margin.top}" y2="${margin.top + plotH}" stroke="#374151"/>
<line x1="${margin.left}" x2="${width - margin.right}" y1="${margin.top + plotH}" y2="${margin.top + plotH}" stroke="#374151"/>
${parts.join('\n')}
</svg>
</figure>`;
}
