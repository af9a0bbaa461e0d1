// Who sees which change: the one rule for every live event. Everyone sees changes to published comments; a
// comment's author and the staff of its site see every change to it; a reader who could see a comment that is
// no longer public (held or rejected after an edit, rejected by a moderator) is told only that it went. Nothing of a
// hidden story reaches anyone but the staff of its site.
import type { ThreadEventRow, UserRow } from '../storage/schema.js';
import type { CommentFields, ThreadEvent } from '../contracts/api.js';

/** What the rule needs to know about a reader. */
export type EventViewer = Pick<UserRow, 'id' | 'role' | 'site_id'>;

export const isStaffOf = (viewer: EventViewer, siteId: string) => viewer.role !== 'commenter' && (viewer.site_id === null || viewer.site_id === siteId);

/**
 * The event as this reader may see it, or null when they may not see it at all.
 * @param storyHidden the story is hidden (now): only its site's staff follow it
 */
export function eventFor(row: ThreadEventRow, viewer: EventViewer | null, storyHidden = false): ThreadEvent | null {
  // A change to the story itself is for the processes' caches, not for readers.
  if (row.type === 'story.updated' || row.comment_id === null || row.author_id === null || row.status === null) return null;
  if (storyHidden && !(viewer && isStaffOf(viewer, row.site_id))) return null;
  const base = { id: row.id, storyId: row.story_id, commentId: row.comment_id, parentId: row.parent_id, at: new Date(row.created_at).toISOString() };
  const entitled = row.status === 'published' || (viewer !== null && (viewer.id === row.author_id || isStaffOf(viewer, row.site_id)));
  if (!entitled) return row.was_public ? { ...base, type: 'comment.removed' } : null;
  const event: ThreadEvent = { ...base, type: row.type, status: row.status };
  if (row.payload_json) {
    const payload = JSON.parse(row.payload_json) as CommentFields | { score: number };
    if ('score' in payload && !('id' in payload)) event.score = payload.score;
    else event.comment = payload as CommentFields;
  }
  return event;
}
