// Which queue the moderator looks at, and how: the filters in the address, and what belongs in each queue.
import { LABELS, type QueueItem, type QueueName, type QueueSort } from '../types.js';

export const QUEUES: Array<{ name: QueueName; title: string }> = [
  { name: 'pending', title: 'Pending' },
  { name: 'reported', title: 'Reported' },
  { name: 'rejected', title: 'Rejected' },
  { name: 'approved', title: 'Approved' },
  { name: 'all', title: 'All' },
];
/** Comments per page. */
export const PAGE = 50;


export interface Filters {
  queue: QueueName;
  sort: QueueSort;
  label: string;
  storyId: string;
}

/** The server's default order for a queue: most severe first while comments wait (pending, reported), newest first otherwise. */
export function defaultSort(queue: QueueName): QueueSort {
  return queue === 'pending' || queue === 'reported' ? 'severity' : 'newest';
}

export function filtersFrom(params: URLSearchParams): Filters {
  const name = params.get('queue');
  const sort = params.get('sort');
  const label = params.get('label') ?? '';
  const queue = QUEUES.some((q) => q.name === name) ? (name as QueueName) : 'pending';
  return {
    queue,
    sort: sort === 'severity' || sort === 'newest' || sort === 'oldest' || sort === 'score' ? sort : defaultSort(queue),
    label: (LABELS as readonly string[]).includes(label) ? label : '',
    storyId: (params.get('storyId') ?? '').trim(),
  };
}

/** Whether a comment with this status still belongs in the queue. */
export function belongs(queue: QueueName, item: QueueItem): boolean {
  const s = item.comment.status;
  switch (queue) {
    case 'pending':
      return s === 'pending';
    case 'reported':
      return s === 'published' && item.comment.openReports > 0;
    case 'rejected':
      return s === 'rejected';
    case 'approved':
      return s === 'published';
    case 'all':
      return true;
  }
}

