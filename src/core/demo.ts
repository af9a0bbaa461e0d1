// What a first start on an empty database creates: a site, an admin whose password is shown once,
// and a demo story with a short discussion so the page has something to show.
import type { Storage } from '../storage/db.js';
import type { UserRow } from '../storage/schema.js';
import { ensureSite } from '../storage/sites.js';
import { countUsers } from '../storage/users.js';
import { newSecret } from '../storage/ids.js';
import { DEFAULT_POLICY } from '../moderation/policy.js';
import { AccountService } from './accounts.js';
import { StoryService } from './stories.js';
import type { CommentService } from './comments.js';

export interface FirstStart {
  admin: { username: string; password: string };
  storyId: string;
}

const STORY = {
  url: 'https://example.org/news/2026/11/harbour-bridge-reopens',
  title: 'Harbour bridge reopens after two years of repairs',
  byline: 'Mara Lindqvist',
  source: 'Coastal Wire',
  imageUrl: '/static/demo/harbour-bridge.svg',
  imageCaption: 'The first buses cross the repaired bridge at dawn on Tuesday.',
  body: [
    'The harbour bridge reopened to traffic on Tuesday morning, two years after cracks in its main span forced the city to close it.',
    'Engineers replaced 340 steel cables and resurfaced the deck. The work came in four months late and about 12 per cent over budget, which the city blames on the price of steel.',
    'Buses return to their old routes from Monday. Cyclists get a separated lane on the north side for the first time.',
  ].join('\n\n'),
};

const DISCUSSION: Array<{ author: string; text: string; replyTo?: number }> = [
  { author: 'harbourdweller', text: 'Finally. The detour added forty minutes to my commute every day.' },
  { author: 'cyclist_jo', text: 'The **separated bike lane** is the best news in this story.', replyTo: 0 },
  { author: 'budgetwatch', text: 'Twelve per cent over budget is not bad for a project this size. The ring road went 40% over.' },
  { author: 'harbourdweller', text: 'Fair point, though the delay cost local shops a lot of trade.', replyTo: 2 },
];

/** Sets up an empty database; does nothing when accounts already exist. */
export async function firstStart(storage: Storage, comments: CommentService): Promise<FirstStart | null> {
  if ((await countUsers(storage.db)) > 0) return null;
  // A fixed id: servers starting together on one empty database create one site, not one each.
  await ensureSite(storage.db, 'demo', 'Parley demo site', JSON.stringify(DEFAULT_POLICY));
  const password = newSecret(15);
  const accounts = new AccountService(storage);
  const admin = await accounts.create({ username: 'admin', email: null, password, role: 'admin' });
  const story = await new StoryService(storage).create(admin, STORY);
  const users = new Map<string, UserRow>();
  const posted: string[] = [];
  for (const line of DISCUSSION) {
    let user = users.get(line.author);
    if (!user) {
      user = await accounts.create({ username: line.author, email: null, password: newSecret(15) });
      users.set(line.author, user);
    }
    const parentId = line.replyTo === undefined ? null : posted[line.replyTo]!;
    const { comment } = await comments.post(user, story.id, line.text, parentId);
    posted.push(comment.id);
  }
  return { admin: { username: 'admin', password }, storyId: story.id };
}
