import { html, type Html } from './html.ts';

/**
 * The attributes of a box that scrolls sideways on a narrow screen (a wide table or a chart): a
 * region named `label` in the tab order, so someone on a keyboard can reach it and scroll it with
 * the arrow keys, and a screen reader says what the box holds when it gets focus. Goes on the box's
 * opening tag: `<div class="table-wrap"${scrollable(label)}>`.
 */
export function scrollable(label: string): Html {
  return html` role="region" aria-label="${label}" tabindex="0"`;
}
