// A moderator's named queue filters: choose one to apply it, save the filter shown under a name, delete one.
// Stored on the server per moderator (the console's every-site view), so they follow the moderator to any browser.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { useNotify } from '../toast.js';
import { message } from './messages.js';
import { defaultSort, type Filters } from './filters.js';
import type { QueueFilter, SavedFilter } from '../types.js';

/** The filter as saved: the parts that narrow the queue (an empty label or story means any). */
function toSaved(f: Filters): QueueFilter {
  return { queue: f.queue, sort: f.sort, ...(f.label ? { label: f.label as QueueFilter['label'] } : {}), ...(f.storyId ? { storyId: f.storyId } : {}) };
}

function toFilters(f: QueueFilter): Filters {
  const queue = f.queue ?? 'pending';
  return { queue, sort: f.sort ?? defaultSort(queue), label: f.label ?? '', storyId: f.storyId ?? '' };
}

const same = (a: QueueFilter, b: QueueFilter) => JSON.stringify(toFilters(a)) === JSON.stringify(toFilters(b));

export function SavedFilters({ filters, apply }: { filters: Filters; apply: (f: Filters) => void }) {
  const notify = useNotify();
  const [saved, setSaved] = useState<SavedFilter[]>([]);
  const [naming, setNaming] = useState(false);

  useEffect(() => {
    api.savedFilters().then(
      (r) => setSaved(r.filters),
      () => undefined,
    );
  }, []);

  const shown = toSaved(filters);
  const current = saved.find((f) => same(f.filter, shown));

  const save = async (name: string) => {
    try {
      const kept = await api.saveFilter(name, shown);
      setSaved((list) => [...list.filter((f) => f.id !== kept.id), kept].sort((a, b) => a.name.localeCompare(b.name)));
      setNaming(false);
      notify(`Saved the filter “${kept.name}”`);
    } catch (error) {
      notify(`Could not save the filter: ${message(error)}`, 'error');
    }
  };

  const remove = async (f: SavedFilter) => {
    try {
      await api.deleteFilter(f.id);
      setSaved((list) => list.filter((x) => x.id !== f.id));
      notify(`Deleted the filter “${f.name}”`);
    } catch (error) {
      notify(`Could not delete the filter: ${message(error)}`, 'error');
    }
  };

  return (
    <div class="saved-filters">
      <label>
        <span>Saved</span>
        <select
          value={current?.id ?? ''}
          onChange={(e) => {
            const chosen = saved.find((f) => f.id === (e.currentTarget as HTMLSelectElement).value);
            if (chosen) apply(toFilters(chosen.filter));
          }}
        >
          <option value="">{saved.length ? 'choose a filter…' : 'no saved filters'}</option>
          {saved.map((f) => (
            <option key={f.id} value={f.id}>
              {f.name}
            </option>
          ))}
        </select>
      </label>
      {current ? (
        <button type="button" class="link" onClick={() => void remove(current)}>
          Delete “{current.name}”
        </button>
      ) : null}
      {naming ? (
        <form
          class="name-filter"
          onSubmit={(e) => {
            e.preventDefault();
            const name = ((e.currentTarget as HTMLFormElement).elements.namedItem('filterName') as HTMLInputElement).value.trim();
            if (name) void save(name);
          }}
        >
          <input name="filterName" aria-label="Name of this filter" placeholder="e.g. Threats on the election" maxLength={80} required autoFocus size={18} />
          <button type="submit">Save</button>
          <button type="button" class="link" onClick={() => setNaming(false)}>
            Cancel
          </button>
        </form>
      ) : current ? null : (
        <button type="button" class="link" onClick={() => setNaming(true)}>
          Save this filter…
        </button>
      )}
    </div>
  );
}
