// The audit log, and the one way to make a change that it records: change and entry in one transaction.
import { sql, type Kysely } from 'kysely';
import type { AuditEntry, CommentRow, Database, SiteRow, UserRow } from './schema.js';
import { idList, newId } from './ids.js';
import { findComment, updateComment } from './comments.js';
import { findSite, listSiteOrigins, updateSite } from './sites.js';
import { findUserById, updateUser } from './users.js';

export type NewAuditEntry = Omit<AuditEntry, 'id' | 'created_at' | 'undo_json'> & { undo_json?: string | null };

/** Appends one entry to the audit log (call it inside the transaction of the change it records). */
export async function appendAudit(db: Kysely<Database>, entry: NewAuditEntry, now = Date.now()): Promise<AuditEntry> {
  const row: AuditEntry = { ...entry, undo_json: entry.undo_json ?? null, id: newId(), created_at: now };
  await db.insertInto('audit_log').values(row).execute();
  return row;
}

/** A page of the audit log, newest first, for these sites (and the entries of no site); null: every site. */
export async function readAudit(
  db: Kysely<Database>,
  siteIds: string[] | null,
  cursor: { key: number; id: string } | null,
  limit: number,
  actorId: string | null = null,
): Promise<{
  entries: Array<AuditEntry & { actor_username: string | null; comment_story_id: string | null; comment_text: string | null }>;
  next: { key: number; id: string } | null;
}> {
  let query = db
    .selectFrom('audit_log')
    .leftJoin('users', 'users.id', 'audit_log.actor_id')
    // The comment an entry is about, so that the log can say which one and link to it.
    .leftJoin('comments', (join) => join.onRef('comments.id', '=', 'audit_log.target_id').on('audit_log.target_type', '=', 'comment'))
    .selectAll('audit_log')
    .select(['users.username as actor_username', 'comments.story_id as comment_story_id', 'comments.body_markdown as comment_text']);
  if (siteIds) query = query.where((eb) => eb.or([eb('audit_log.site_id', 'in', idList(siteIds)), eb('audit_log.site_id', 'is', null)]));
  if (actorId) query = query.where('audit_log.actor_id', '=', actorId);
  if (cursor) {
    query = query.where((eb) => eb(eb.refTuple('audit_log.created_at', 'audit_log.id'), '<', eb.tuple(cursor.key, cursor.id)));
  }
  const rows = await query.orderBy('audit_log.created_at', 'desc').orderBy('audit_log.id', 'desc').limit(limit + 1).execute();
  const entries = rows.slice(0, limit);
  const last = entries[entries.length - 1];
  return { entries, next: rows.length > limit && last ? { key: last.created_at, id: last.id } : null };
}

export async function findAuditEntry(db: Kysely<Database>, id: string): Promise<AuditEntry | undefined> {
  return db.selectFrom('audit_log').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Whether anything was logged on the entry's target after it, other than the entry `except`. */
export async function loggedSince(db: Kysely<Database>, entry: AuditEntry, except: string): Promise<boolean> {
  const later = await db
    .selectFrom('audit_log')
    .select('id')
    .where('target_type', '=', entry.target_type)
    .where('target_id', '=', entry.target_id)
    .where('id', 'not in', [entry.id, except])
    .where('created_at', '>=', entry.created_at)
    .executeTakeFirst();
  return later !== undefined;
}

/** What an audited change can change: a comment, a user or a site, each a row of its own table. */
export interface AuditTargets {
  comment: CommentRow;
  user: UserRow;
  site: SiteRow;
}

const TARGETS: { [K in keyof AuditTargets]: { find: (db: Kysely<Database>, id: string) => Promise<AuditTargets[K] | undefined>; update: (db: Kysely<Database>, id: string, changes: Partial<AuditTargets[K]>) => Promise<void> } } = {
  comment: { find: findComment, update: updateComment },
  user: { find: findUserById, update: updateUser },
  site: { find: findSite, update: updateSite },
};

const TABLES = { comment: 'comments', user: 'users', site: 'sites' } as const;

/** What a change to one row says about itself in the log; the target's type and id are filled in. */
export type AuditNote = Omit<NewAuditEntry, 'target_type' | 'target_id'>;

/**
 * Loads a comment, user or site, lets `decide` check it and name the change and its audit entry, then writes
 * both, in one transaction: both or neither. `decide` may throw to refuse (nothing is written); it gets the time
 * the change and its entry carry. Returns the row as changed, or undefined when there is no row with this id.
 * `also`, when given, runs last in the same transaction with the row before and after (to record more of the change).
 */
export async function auditedUpdate<K extends keyof AuditTargets>(
  db: Kysely<Database>,
  type: K,
  id: string,
  decide: (row: AuditTargets[K], now: number) => { changes: Partial<AuditTargets[K]>; audit: AuditNote },
  also?: (trx: Kysely<Database>, before: AuditTargets[K], after: AuditTargets[K], now: number, entry: AuditEntry) => Promise<void>,
): Promise<AuditTargets[K] | undefined> {
  const target = TARGETS[type] as unknown as {
    find: (db: Kysely<Database>, id: string) => Promise<AuditTargets[K] | undefined>;
    update: (db: Kysely<Database>, id: string, changes: Partial<AuditTargets[K]>) => Promise<void>;
  };
  return db.transaction().execute(async (trx) => {
    // Lock the row first (a no-op update), so that two changes of one row at once run one after the other and the
    // second decides on what the first wrote (PostgreSQL; SQLite runs write transactions one at a time anyway).
    const table: string = TABLES[type];
    await (trx as unknown as Kysely<any>).updateTable(table).set({ id: sql.ref('id') }).where('id', '=', id).execute();
    const row = await target.find(trx, id);
    if (!row) return undefined;
    const now = Date.now();
    const { changes, audit } = decide(row, now);
    await target.update(trx, id, changes);
    const entry = await appendAudit(trx, { ...audit, target_type: type, target_id: id }, now);
    const changed = { ...row, ...changes };
    await also?.(trx, row, changed, now, entry);
    return changed;
  });
}

/**
 * Changes the site's allowed origins and records the change in the audit log, in one transaction: `change` gets the
 * list as it is (sorted) and answers the new one. Nothing is written, nor audited, when the list stays the same.
 * Returns the list before and after.
 */
export async function changeSiteOrigins(
  db: Kysely<Database>,
  siteId: string,
  change: (current: string[]) => string[],
  audit: Pick<NewAuditEntry, 'actor_id' | 'reason'>,
  now = Date.now(),
): Promise<{ before: string[]; after: string[] }> {
  return db.transaction().execute(async (trx) => {
    const before = await listSiteOrigins(trx, siteId);
    const after = [...new Set(change(before))].sort();
    if (after.join('\n') === before.join('\n')) return { before, after };
    await trx.deleteFrom('site_origins').where('site_id', '=', siteId).execute();
    if (after.length) await trx.insertInto('site_origins').values(after.map((origin) => ({ site_id: siteId, origin, created_at: now }))).execute();
    await appendAudit(
      trx,
      { ...audit, site_id: siteId, action: 'site.origins', target_type: 'site', target_id: siteId, before_json: JSON.stringify({ origins: before }), after_json: JSON.stringify({ origins: after }) },
      now,
    );
    return { before, after };
  });
}
