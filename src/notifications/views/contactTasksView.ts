import { html, type Html } from '../../web/html.ts';
import { scrollable } from '../../web/scrollBox.ts';
import { csrfField } from '../../web/layout.ts';
import { formatDateTime } from '../../web/format.ts';
import { okNotice } from '../../web/forms.ts';
import type { ContactTaskView } from '../taskService.ts';
import { channelLabel, failureText, type View } from './common.ts';

const k = 'institutions.contactTasks';

/** The institution page's "contacts to fix": each open task with its "Fixed" form. */
export function contactTasksSection(v: View, code: string, tasks: ContactTaskView[], notice?: string | null): Html {
  const { ctx, t } = v;
  const col = (key: string) => html`<th scope="col">${t(`${k}.${key}`)}</th>`;
  return html`<section aria-labelledby="contact-tasks-h" id="contact-tasks">
<h2 id="contact-tasks-h">${t(`${k}.title`)}</h2>
${okNotice(notice)}
${tasks.length
  ? html`<p>${t(`${k}.intro`)}</p>
<div class="table-wrap"${scrollable(t(`${k}.title`))}><table>
<thead><tr>${col('pupil')}${col('class')}${col('channel')}${col('address')}${col('reason')}${col('date')}<th scope="col"><span class="sr-only">${t(`${k}.fixed`)}</span></th></tr></thead>
<tbody>${tasks.map((task) => {
      const pupil = `${task.pupil.firstName} ${task.pupil.lastName}`.trim() || '—';
      const reason = failureText(t, task.reason);
      return html`<tr data-task="${task.id}">
  <td>${pupil}</td><td>${task.pupil.class || '—'}</td><td>${channelLabel(t, task.channel)}</td><td>${task.address}</td><td>${reason}</td><td>${formatDateTime(task.createdAt, ctx.lang)}</td>
  <td><form method="post" action="/institutions/${encodeURIComponent(code)}/contact-tasks/${encodeURIComponent(task.id)}/done">${csrfField(ctx)}<button type="submit" class="secondary">${t(`${k}.fixed`)}<span class="sr-only">: ${pupil}</span></button></form></td>
</tr>`;
    })}</tbody></table></div>`
  : html`<p>${t(`${k}.none`)}</p>`}
</section>`;
}
