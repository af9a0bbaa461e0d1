// The one seam through which every change to a thread is announced: the core appends the event in the change's
// transaction (storage's thread_events log), then, once that has committed, tells the sink its id. The sink (the
// server's bus, src/live) wakes the readers of every process; they read the event from the log.
import type { CommentRow, NewThreadEvent, StoryRow, ThreadEventsTable } from '../storage/schema.js';
import type { CommentFields } from '../contracts/api.js';

/** Told the id of each thread event after its transaction has committed. */
export interface ThreadEventSink {
  raised(eventId: number): void;
}

/** For callers that want no live updates (a command-line tool, a test of the core alone). */
export const NO_EVENTS: ThreadEventSink = { raised: () => undefined };

/** Whether every reader may see a comment in this state. */
export const isPublic = (c: Pick<CommentRow, 'status' | 'deleted_at'>) => c.status === 'published' && c.deleted_at === null;

/** The log row of a change to a story itself (its state or text): the processes drop their cached pages of it. */
export function storyEvent(story: Pick<StoryRow, 'id' | 'site_id'>, now: number): NewThreadEvent {
  return {
    story_id: story.id,
    site_id: story.site_id,
    comment_id: null,
    parent_id: null,
    author_id: null,
    type: 'story.updated',
    status: null,
    was_public: 0,
    payload_json: null,
    created_at: now,
  };
}

/**
 * The log row of a change to a comment.
 * @param before the comment before the change (null when it is new): who could see it then
 * @param payload the public comment (created, edited, moderated) or the new score (voted)
 */
export function commentEvent(
  type: Exclude<ThreadEventsTable['type'], 'story.updated'>,
  after: CommentRow,
  before: CommentRow | null,
  payload: CommentFields | { score: number } | null,
  now: number,
): NewThreadEvent {
  return {
    story_id: after.story_id,
    site_id: after.site_id,
    comment_id: after.id,
    parent_id: after.parent_id,
    author_id: after.author_id,
    type,
    status: after.status,
    was_public: before && isPublic(before) ? 1 : 0,
    payload_json: payload ? JSON.stringify(payload) : null,
    created_at: now,
  };
}
