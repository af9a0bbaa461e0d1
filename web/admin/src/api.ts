// The console's one door to the server: same-origin fetch with the session cookie, and the session's
// CSRF token on every write.
import type {
  ActionResult,
  IdentityBan,
  IdentityBanInput,
  IdentityBanList,
  LabelDecisions,
  SiteModelReport,
  SiteModelSwitch,
  AuditPage,
  BulkResult,
  ClassifierInfo,
  Counts,
  ImportJob,
  ImportJobList,
  ImportStartQuery,
  Me,
  QueueName,
  QueuePage,
  QueueSort,
  SiteList,
  SiteOrigins,
  SitePolicy,
  Stats,
  UserActionResult,
  PeopleList,
  Person,
  PersonNote,
  PersonSummary,
  RoleResult,
  Story,
  StoryDeleted,
  StoryList,
  StoryPatch,
  Claim,
  ModeratorSummary,
  QueueFilter,
  SavedFilter,
  SavedFilterList,
  UndoResult,
  CreatedWebhook,
  WebhookDelivery,
  WebhookDeliveryPage,
  WebhookList,
} from './types.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

let csrfToken = '';

const parseJson = (text: string): unknown => {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
};

/** The server's error answer, in its words when it sent the documented shape. */
function apiError(status: number, json: unknown): ApiError {
  const error = (json as { error?: { code?: string; message?: string } } | null)?.error;
  return new ApiError(status, error?.code ?? `http_${status}`, error?.message ?? `The server answered ${status}.`);
}

async function call<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken;
  // A DELETE has no body, and a JSON content type with none is refused ("The body is empty").
  const sendsBody = method !== 'GET' && method !== 'DELETE';
  if (sendsBody) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      ...(sendsBody ? { body: JSON.stringify(body ?? {}) } : {}),
    });
  } catch {
    throw new ApiError(0, 'network', 'The server cannot be reached. Check the connection and try again.');
  }
  const json = parseJson(await response.text());
  if (response.status === 401 && path !== '/api/me') {
    // The session ended (logged out elsewhere, or expired): log in again and come back here.
    location.assign(`/login?next=${encodeURIComponent(location.pathname + location.search)}`);
  }
  if (!response.ok) throw apiError(response.status, json);
  return json as T;
}

const query = (params: Record<string, string | number | null | undefined>) => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
};

export interface QueueQuery {
  queue: QueueName;
  sort: QueueSort;
  storyId?: string;
  label?: string;
  limit?: number;
  cursor?: string | null;
}

export const api = {
  async me(): Promise<Me> {
    const me = await call<Me>('GET', '/api/me');
    csrfToken = me.csrfToken;
    return me;
  },
  queue: (q: QueueQuery) =>
    call<QueuePage>(
      'GET',
      `/api/moderation/queue${query({ queue: q.queue, sort: q.sort, storyId: q.storyId, label: q.label, limit: q.limit, cursor: q.cursor })}`,
    ),
  counts: () => call<Counts>('GET', '/api/moderation/counts'),
  /** With featured: approve and feature in one action (one audit entry, comment.approve_and_feature). */
  approve: (id: string, featured = false) =>
    call<ActionResult>('POST', `/api/moderation/comments/${encodeURIComponent(id)}/approve`, featured ? { featured: true } : {}),
  reject: (id: string, reason: string) => call<ActionResult>('POST', `/api/moderation/comments/${encodeURIComponent(id)}/reject`, { reason }),
  feature: (id: string, featured: boolean) =>
    call<ActionResult>('POST', `/api/moderation/comments/${encodeURIComponent(id)}/feature`, { featured }),
  bulk: (action: 'approve' | 'reject', ids: string[], reason?: string) =>
    call<BulkResult>('POST', '/api/moderation/comments/bulk', reason ? { action, ids, reason } : { action, ids }),
  ban: (userId: string, reason: string) => call<UserActionResult>('POST', `/api/moderation/users/${encodeURIComponent(userId)}/ban`, { reason }),
  suspend: (userId: string, until: string, reason: string) =>
    call<UserActionResult>('POST', `/api/moderation/users/${encodeURIComponent(userId)}/suspend`, { until, reason }),
  unban: (userId: string) => call<UserActionResult>('POST', `/api/moderation/users/${encodeURIComponent(userId)}/unban`, {}),
  identityBans: () => call<IdentityBanList>('GET', '/api/moderation/bans'),
  addIdentityBan: (ban: IdentityBanInput) => call<IdentityBanList>('POST', '/api/moderation/bans', ban),
  liftIdentityBan: (id: string) => call<IdentityBan>('POST', `/api/moderation/bans/${encodeURIComponent(id)}/lift`, {}),
  audit: (cursor: string | null, limit = 50, actorId: string | null = null) => call<AuditPage>('GET', `/api/moderation/audit${query({ cursor, limit, actorId })}`),
  /** Says "I am reviewing this one" for 90 s; answers the claim in force (another moderator's, when they hold it). */
  claim: (id: string) => call<Claim>('PUT', `/api/moderation/comments/${encodeURIComponent(id)}/claim`),
  releaseClaim: (id: string) => call<{ released: boolean }>('DELETE', `/api/moderation/comments/${encodeURIComponent(id)}/claim`),
  /** Undoes one of my actions by the undo.actionId its answer carried (30 s). */
  undo: (actionId: string) => call<UndoResult>('POST', `/api/moderation/actions/${encodeURIComponent(actionId)}/undo`),
  savedFilters: () => call<SavedFilterList>('GET', '/api/moderation/filters'),
  saveFilter: (name: string, filter: QueueFilter) => call<SavedFilter>('POST', '/api/moderation/filters', { name, filter }),
  deleteFilter: (id: string) => call<null>('DELETE', `/api/moderation/filters/${encodeURIComponent(id)}`),
  summary: (days = 7) => call<ModeratorSummary>('GET', `/api/moderation/summary${query({ days })}`),
  stats: (days = 30) => call<Stats>('GET', `/api/moderation/stats${query({ days })}`),
  sites: () => call<SiteList>('GET', '/api/sites'),
  classifier: () => call<ClassifierInfo>('GET', '/api/moderation/classifier'),
  policy: (siteId: string) => call<SitePolicy>('GET', `/api/sites/${encodeURIComponent(siteId)}/policy`),
  /** Confirm (true) or correct (false) labels of a comment: the site's training data. */
  setLabels: (id: string, labels: LabelDecisions['labels']) =>
    call<LabelDecisions>('PUT', `/api/moderation/comments/${encodeURIComponent(id)}/labels`, { labels }),
  siteModel: (siteId: string) => call<SiteModelReport>('GET', `/api/sites/${encodeURIComponent(siteId)}/model`),
  useSiteModel: (siteId: string, use: 'site' | 'shipped') => call<SiteModelSwitch>('PUT', `/api/sites/${encodeURIComponent(siteId)}/model`, { use }),
  putPolicy: (siteId: string, policy: SitePolicy) => call<SitePolicy>('PUT', `/api/sites/${encodeURIComponent(siteId)}/policy`, policy),
  origins: (siteId: string) => call<SiteOrigins>('GET', `/api/sites/${encodeURIComponent(siteId)}/origins`),
  stories: () => call<StoryList>('GET', '/api/stories'),
  updateStory: (id: string, patch: StoryPatch) => call<Story>('PATCH', `/api/stories/${encodeURIComponent(id)}`, patch),
  /** A story with comments goes only with deleteComments (they go with it). */
  deleteStory: (id: string, deleteComments: boolean) =>
    call<StoryDeleted>('DELETE', `/api/stories/${encodeURIComponent(id)}${query({ deleteComments: deleteComments ? 'true' : '' })}`),
  people: (q: string) => call<PeopleList>('GET', `/api/people${query({ q })}`),
  person: (id: string) => call<Person>('GET', `/api/people/${encodeURIComponent(id)}`),
  addNote: (id: string, body: string) => call<PersonNote>('POST', `/api/people/${encodeURIComponent(id)}/notes`, { body }),
  trust: (id: string, trusted: boolean) => call<PersonSummary>('PUT', `/api/people/${encodeURIComponent(id)}/trust`, { trusted }),
  setRole: (id: string, role: 'commenter' | 'moderator' | 'admin') => call<RoleResult>('PUT', `/api/users/${encodeURIComponent(id)}/role`, { role }),
  putOrigins: (siteId: string, origins: string[]) => call<SiteOrigins>('PUT', `/api/sites/${encodeURIComponent(siteId)}/origins`, { origins }),
  imports: (siteId: string) => call<ImportJobList>('GET', `/api/sites/${encodeURIComponent(siteId)}/imports`),
  resumeImport: (siteId: string, jobId: string) =>
    call<ImportJob>('POST', `/api/sites/${encodeURIComponent(siteId)}/imports/${encodeURIComponent(jobId)}/resume`),
  webhooks: (siteId: string) => call<WebhookList>('GET', `/api/sites/${encodeURIComponent(siteId)}/webhooks`),
  addWebhook: (siteId: string, url: string, events: string[]) => call<CreatedWebhook>('POST', `/api/sites/${encodeURIComponent(siteId)}/webhooks`, { url, events }),
  removeWebhook: (siteId: string, webhookId: string) =>
    call<null>('DELETE', `/api/sites/${encodeURIComponent(siteId)}/webhooks/${encodeURIComponent(webhookId)}`),
  deliveries: (siteId: string, cursor: string | null) =>
    call<WebhookDeliveryPage>('GET', `/api/sites/${encodeURIComponent(siteId)}/webhooks/deliveries${query({ cursor, limit: 50 })}`),
  replayDelivery: (siteId: string, deliveryId: string) =>
    call<WebhookDelivery>('POST', `/api/sites/${encodeURIComponent(siteId)}/webhooks/deliveries/${encodeURIComponent(deliveryId)}/replay`),
  /** Where the site's archive (jsonl) or its comments (csv) download from. */
  exportUrl: (siteId: string, format: 'jsonl' | 'csv') => `/api/sites/${encodeURIComponent(siteId)}/export${query({ format })}`,
  /**
   * Sends an export file as it is (the server streams it to disk) and answers the import it started. Through
   * XMLHttpRequest, because fetch cannot tell how much of an upload has gone.
   */
  startImport: (siteId: string, file: File, options: ImportStartQuery, onProgress: (sent: number, total: number) => void) =>
    new Promise<ImportJob>((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', `/api/sites/${encodeURIComponent(siteId)}/imports${query({ ...options })}`);
      xhr.setRequestHeader('content-type', 'application/xml');
      xhr.setRequestHeader('accept', 'application/json');
      xhr.setRequestHeader('x-csrf-token', csrfToken);
      xhr.upload.onprogress = (event) => onProgress(event.loaded, event.total);
      xhr.onerror = () => reject(new ApiError(0, 'network', 'The upload was cut off. Check the connection and try again.'));
      xhr.onload = () => {
        const json = parseJson(xhr.responseText);
        if (xhr.status === 202) resolve(json as ImportJob);
        else reject(apiError(xhr.status, json));
      };
      xhr.send(file);
    }),
};
