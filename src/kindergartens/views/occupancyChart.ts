import { html, type Html } from '../../web/html.ts';
import { scrollable } from '../../web/scrollBox.ts';
import { formatDay } from '../../web/format.ts';
import type { DayFigures } from '../daySummaries.ts';
import type { View } from './common.ts';

// Drawing units of the viewBox; the SVG scales to the page's width (see .chart in app.css).
const bar = 12;
const gap = 3;
const left = 34;
const top = 14;
const plot = 140;
const bottom = 22;
// Room on the right for the last day's label, which is centred under the last bar.
const right = 16;

const shortDay = (day: string) => `${day.slice(8, 10)}.${day.slice(5, 7)}.`;

/** The sentence a screen reader hears for the chart: the period and the latest day with returns. */
function summary({ ctx, t }: View, days: DayFigures[]): string {
  const from = formatDay(days[0]?.day ?? '', ctx.lang);
  const to = formatDay(days.at(-1)?.day ?? '', ctx.lang);
  const latest = [...days].reverse().find((d) => d.returns > 0);
  if (!latest) return t('kindergartens.page.chart.empty', { from, to });
  return t('kindergartens.page.chart.summary', { from, to, day: formatDay(latest.day, ctx.lang), present: latest.present, capacity: latest.capacity });
}

/**
 * Occupancy per day as inline SVG (no script, so it also prints): a bar of children present
 * inside the outline of the places of the groups that made a return; a day over capacity also
 * gets a mark above its bar, so it does not rest on colour alone. The same figures follow in a
 * table for those who cannot see the chart.
 */
export function occupancyChart(v: View, days: DayFigures[], id = 'occupancy'): Html {
  const { ctx, t } = v;
  const max = Math.max(1, ...days.map((d) => Math.max(d.capacity, d.present)));
  const width = left + days.length * (bar + gap) + gap + right;
  const height = top + plot + bottom;
  const y = (n: number) => top + plot - (n / max) * plot;
  const label = summary(v, days);
  const ticks = days.map((d, i) => ({ d, i })).filter(({ i }) => i === 0 || i === days.length - 1 || i % 7 === 0);
  return html`<figure class="chart" aria-labelledby="${id}-caption">
<div class="plot"${scrollable(t('kindergartens.page.chart.title'))}><svg viewBox="0 0 ${width} ${height}" role="img" aria-label="${label}" focusable="false" preserveAspectRatio="xMinYMin meet">
  <line class="axis" x1="${left}" y1="${y(0)}" x2="${width - right}" y2="${y(0)}"></line>
  <line class="grid" x1="${left}" y1="${y(max)}" x2="${width - right}" y2="${y(max)}"></line>
  <text class="tick" x="${left - 4}" y="${y(max) + 4}" text-anchor="end">${max}</text>
  <text class="tick" x="${left - 4}" y="${y(0) + 4}" text-anchor="end">0</text>
  ${days.map((d, i) => {
    const x = left + gap + i * (bar + gap);
    if (!d.returns) return '';
    const over = d.overCapacity > 0;
    return html`<g><rect class="places" x="${x}" y="${y(d.capacity)}" width="${bar}" height="${y(0) - y(d.capacity)}"></rect><rect class="present${over ? ' over' : ''}" x="${x + 2}" y="${y(d.present)}" width="${bar - 4}" height="${y(0) - y(d.present)}"></rect>${over ? html`<text class="overmark" x="${x + bar / 2}" y="${Math.max(10, y(Math.max(d.present, d.capacity)) - 3)}" text-anchor="middle">!</text>` : ''}</g>`;
  })}
  ${ticks.map(({ d, i }) => html`<text class="tick" x="${left + gap + i * (bar + gap) + bar / 2}" y="${height - 6}" text-anchor="middle">${shortDay(d.day)}</text>`)}
</svg></div>
<figcaption id="${id}-caption">${t('kindergartens.page.chart.title')} <span class="legend"><span class="key present"></span>${t('kindergartens.page.chart.present')} <span class="key places"></span>${t('kindergartens.page.chart.places')} <span class="key over">!</span>${t('kindergartens.page.chart.overMark')}</span></figcaption>
<details>
  <summary>${t('kindergartens.page.chart.figures')}</summary>
  <div class="table-wrap"${scrollable(t('kindergartens.page.chart.figures'))}><table>
  <caption class="sr-only">${label}</caption>
  <thead><tr><th scope="col">${t('kindergartens.page.chart.columns.day')}</th><th scope="col" class="num">${t('kindergartens.page.chart.columns.returns')}</th><th scope="col" class="num">${t('kindergartens.page.chart.columns.registered')}</th><th scope="col" class="num">${t('kindergartens.page.chart.columns.present')}</th><th scope="col" class="num">${t('kindergartens.page.chart.columns.capacity')}</th><th scope="col" class="num">${t('kindergartens.page.chart.columns.overCapacity')}</th></tr></thead>
  <tbody>${days
    .filter((d) => d.returns > 0)
    .map(
      (d) =>
        html`<tr${d.overCapacity ? html` class="over"` : ''}><th scope="row"><time datetime="${d.day}">${formatDay(d.day, ctx.lang)}</time></th><td class="num">${d.returns}</td><td class="num">${d.registered}</td><td class="num">${d.present}</td><td class="num">${d.capacity}</td><td class="num">${d.overCapacity}</td></tr>`,
    )}</tbody>
  </table></div>
  ${days.some((d) => d.returns > 0) ? '' : html`<p>${label}</p>`}
</details>
</figure>`;
}
