// Stories: each story's comments open, closed (with a message for readers), pre-moderated or hidden; editing a title;
// deleting a story, its comments only after the moderator confirms.
import { useEffect, useState } from 'preact/hooks';
import { api } from './api.js';
import { dateTime, plural } from './format.js';
import { useNotify } from './toast.js';
import { message } from './queue/messages.js';
import type { Story, StoryList, StoryState } from './types.js';

const STATES: Array<{ state: StoryState; title: string }> = [
  { state: 'open', title: 'Open' },
  { state: 'premoderated', title: 'Pre-moderated' },
  { state: 'closed', title: 'Closed' },
  { state: 'hidden', title: 'Hidden' },
];

function StoryRow({ story, comments, onChanged, onDeleted }: { story: Story; comments: number; onChanged: (s: Story) => void; onDeleted: () => void }) {
  const notify = useNotify();
  const [state, setState] = useState<StoryState>(story.state);
  const [closedMessage, setClosedMessage] = useState(story.closedMessage ?? '');
  const [title, setTitle] = useState(story.title);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);

  const save = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    try {
      const saved = await api.updateStory(story.id, { state, title, closedMessage: state === 'closed' ? closedMessage || null : null });
      onChanged(saved);
      notify(`Saved: comments ${STATES.find((s) => s.state === saved.state)!.title.toLowerCase()}`);
    } catch (error) {
      notify(`Could not save: ${message(error)}`, 'error');
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    setBusy(true);
    try {
      const { deletedComments } = await api.deleteStory(story.id, comments > 0);
      notify(`Deleted the story and ${plural(deletedComments, 'comment')}`);
      onDeleted();
    } catch (error) {
      notify(`Could not delete: ${message(error)}`, 'error');
      setBusy(false);
    }
  };

  return (
    <li class="story-row" data-testid={`story-${story.id}`}>
      <form class="story-controls" onSubmit={(e) => void save(e)}>
        <label class="title">
          <span>Title</span>
          <input value={title} onInput={(e) => setTitle((e.currentTarget as HTMLInputElement).value)} required maxLength={300} />
        </label>
        <fieldset class="states">
          <legend>Comments</legend>
          {STATES.map((s) => (
            <label key={s.state}>
              <input type="radio" name={`state-${story.id}`} value={s.state} checked={state === s.state} onChange={() => setState(s.state)} />
              {s.title}
            </label>
          ))}
        </fieldset>
        {state === 'closed' ? (
          <label class="closed-message">
            <span>Message to readers</span>
            <input
              value={closedMessage}
              placeholder="Comments on this story are closed."
              maxLength={1000}
              onInput={(e) => setClosedMessage((e.currentTarget as HTMLInputElement).value)}
            />
          </label>
        ) : null}
        <p class="muted">
          {plural(comments, 'comment')} · published {dateTime(story.publishedAt)} ·{' '}
          <a href={`/stories/${story.id}`} target="_blank" rel="noopener">
            story page
          </a>
        </p>
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            Save
          </button>
          {confirming ? (
            <span role="alert" class="confirm">
              {comments > 0 ? `Delete the story and its ${plural(comments, 'comment')}? This cannot be undone.` : 'Delete the story?'}{' '}
              <button type="button" class="reject" disabled={busy} onClick={() => void remove()}>
                Yes, delete
              </button>{' '}
              <button type="button" class="link" onClick={() => setConfirming(false)}>
                Keep it
              </button>
            </span>
          ) : (
            <button type="button" class="link" onClick={() => setConfirming(true)}>
              Delete…
            </button>
          )}
        </div>
      </form>
    </li>
  );
}

export function StoriesScreen() {
  const [list, setList] = useState<StoryList['stories'] | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    api.stories().then(
      (r) => setList(r.stories),
      (e: unknown) => setError(message(e)),
    );
  }, []);
  if (error) return <p role="alert">{error}</p>;
  if (!list) return <p class="loading">Loading the stories…</p>;
  return (
    <section class="stories-screen">
      <h1>Stories</h1>
      <p class="muted">Close a story's comments (readers see your message), read every new comment first, or hide the story from readers.</p>
      {list.length === 0 ? <p>No stories yet.</p> : null}
      <ul class="story-list">
        {list.map((entry) => (
          <StoryRow
            key={entry.story.id}
            story={entry.story}
            comments={entry.comments}
            onChanged={(story) => setList((l) => l!.map((e) => (e.story.id === story.id ? { ...e, story } : e)))}
            onDeleted={() => setList((l) => l!.filter((e) => e.story.id !== entry.story.id))}
          />
        ))}
      </ul>
    </section>
  );
}
