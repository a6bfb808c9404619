import { html, type Html } from '../../web/html.ts';
import { formatDay, formatNumber } from '../../web/format.ts';
import type { Lang, TFunction } from '../../i18n/index.ts';
import { scrollable } from '../../web/scrollBox.ts';

// Drawing units of the viewBox; the SVG scales to its box (see .chart in app.css).
const bar = 28;
const gap = 8;
const left = 40;
const top = 16;
const plot = 120;
const bottom = 22;
const right = 8;

const shortDay = (day: string) => `${day.slice(8, 10)}.${day.slice(5, 7)}.`;

/**
 * A weekly figure as inline SVG bars (no script, so it prints), each bar labelled with its value
 * so nothing rests on reading a scale; a screen reader hears one sentence and may open the table.
 */
export function weeklyChart(lang: Lang, t: TFunction, id: string, title: string, weeks: string[], values: number[]): Html {
  const max = Math.max(1, ...values);
  const width = left + weeks.length * (bar + gap) + gap + right;
  const height = top + plot + bottom;
  const y = (n: number) => top + plot - (n / max) * plot;
  const total = values.reduce((s, v) => s + v, 0);
  const label = t('dashboard.chart.summary', { title, from: formatDay(weeks[0] ?? '', lang), total: formatNumber(total, lang), last: formatNumber(values.at(-1) ?? 0, lang) });
  return html`<figure class="chart weekly" aria-labelledby="${id}-caption">
<div class="plot"${scrollable(title)}><svg viewBox="0 0 ${width} ${height}" role="img" aria-label="${label}" focusable="false" preserveAspectRatio="xMinYMin meet">
  <line class="axis" x1="${left}" y1="${y(0)}" x2="${width - right}" y2="${y(0)}"></line>
  <text class="tick" x="${left - 4}" y="${y(max) + 4}" text-anchor="end">${formatNumber(max, lang)}</text>
  <text class="tick" x="${left - 4}" y="${y(0) + 4}" text-anchor="end">0</text>
  ${weeks.map((w, i) => {
    const x = left + gap + i * (bar + gap);
    const v = values[i] ?? 0;
    return html`<g><rect class="present" x="${x}" y="${y(v)}" width="${bar}" height="${y(0) - y(v)}"></rect><text class="tick" x="${x + bar / 2}" y="${Math.max(10, y(v) - 3)}" text-anchor="middle">${v ? formatNumber(v, lang) : ''}</text><text class="tick" x="${x + bar / 2}" y="${height - 6}" text-anchor="middle">${shortDay(w)}</text></g>`;
  })}
</svg></div>
<figcaption id="${id}-caption">${title}</figcaption>
<details>
  <summary>${t('dashboard.chart.figures')}</summary>
  <div class="table-wrap"${scrollable(title)}><table>
  <caption class="sr-only">${label}</caption>
  <thead><tr><th scope="col">${t('dashboard.chart.week')}</th><th scope="col" class="num">${title}</th></tr></thead>
  <tbody>${weeks.map((w, i) => html`<tr><th scope="row"><time datetime="${w}">${formatDay(w, lang)}</time></th><td class="num">${formatNumber(values[i] ?? 0, lang)}</td></tr>`)}</tbody>
  </table></div>
</details>
</figure>`;
}
