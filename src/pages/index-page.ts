import type { StoryRow } from '../storage/schema.js';
import { html } from './html.js';
import { layout, type PageFrame } from './layout.js';

export function indexPage(frame: PageFrame, stories: StoryRow[]): string {
  const items = stories.map(
    (s) => html`<li><a href="/stories/${s.id}">${s.title}</a>${s.byline ? html` <span class="byline">by ${s.byline}</span>` : ''}${
      s.source ? html` <span class="source">via ${s.source}</span>` : ''
    }</li>`,
  );
  return layout(
    frame,
    html`<h1>Stories</h1>${stories.length ? html`<ul class="stories">${items}</ul>` : html`<p>No stories yet.</p>`}`,
  );
}
