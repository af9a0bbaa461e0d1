// Queries behind a site's archive (export and import back): every table that holds the site's data, read
// a page at a time in an order that lets the rows be inserted back as they come (a reply after its parent).
import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely';
import type { Database } from './schema.js';

type AnyBuilder = ExpressionBuilder<any, any>;

interface ArchivedTable {
  table: keyof Database;
  /** Columns that order the rows and page through them: unique together. */
  key: string[];
  /** The rows that belong to one site. */
  ofSite(eb: AnyBuilder, siteId: string): Expression<SqlBool>;
}

const siteComments = (eb: AnyBuilder, siteId: string) => eb.selectFrom('comments').select('comments.id').where('comments.site_id', '=', siteId);

/** Tables in the order they go back in: what a row points at comes before it. */
export const ARCHIVED_TABLES: readonly ArchivedTable[] = [
  { table: 'sites', key: ['id'], ofSite: (eb, siteId) => eb('id', '=', siteId) },
  { table: 'site_origins', key: ['origin'], ofSite: (eb, siteId) => eb('site_id', '=', siteId) },
  {
    table: 'users',
    key: ['id'],
    // Staff of the site, and everyone who wrote, voted on, reported or acted on its comments.
    ofSite: (eb, siteId) =>
      eb.or([
        eb('site_id', '=', siteId),
        eb('id', 'in', eb.selectFrom('comments').select('author_id').where('site_id', '=', siteId)),
        eb('id', 'in', eb.selectFrom('votes').select('user_id').where('comment_id', 'in', siteComments(eb, siteId))),
        eb('id', 'in', eb.selectFrom('reports').select('reporter_id').where('comment_id', 'in', siteComments(eb, siteId))),
        eb('id', 'in', eb.selectFrom('audit_log').select('actor_id').where('site_id', '=', siteId)),
        eb('id', 'in', eb.selectFrom('user_notes').select('user_id').where('site_id', '=', siteId)),
      ]),
  },
  { table: 'stories', key: ['id'], ofSite: (eb, siteId) => eb('site_id', '=', siteId) },
  { table: 'comments', key: ['depth', 'created_at', 'id'], ofSite: (eb, siteId) => eb('site_id', '=', siteId) },
  { table: 'label_decisions', key: ['comment_id', 'label'], ofSite: (eb, siteId) => eb('site_id', '=', siteId) },
  { table: 'votes', key: ['comment_id', 'user_id'], ofSite: (eb, siteId) => eb('comment_id', 'in', siteComments(eb, siteId)) },
  { table: 'reports', key: ['id'], ofSite: (eb, siteId) => eb('comment_id', 'in', siteComments(eb, siteId)) },
  // Notes the site's staff wrote (those of staff of every site belong to no one site).
  { table: 'user_notes', key: ['created_at', 'id'], ofSite: (eb, siteId) => eb('site_id', '=', siteId) },
  {
    table: 'audit_log',
    key: ['created_at', 'id'],
    ofSite: (eb, siteId) => eb.or([eb('site_id', '=', siteId), eb.and([eb('target_type', '=', 'comment'), eb('target_id', 'in', siteComments(eb, siteId))])]),
  },
  { table: 'import_keys', key: ['source', 'kind', 'external_id'], ofSite: (eb, siteId) => eb('site_id', '=', siteId) },
];

export type ArchiveRow = Record<string, unknown>;

/** One page of a table's rows for a site, after the row `after` in key order (null: from the start). */
export async function readArchivePage(
  db: Kysely<Database>,
  spec: ArchivedTable,
  siteId: string,
  after: ArchiveRow | null,
  limit: number,
): Promise<ArchiveRow[]> {
  const loose = db as unknown as Kysely<any>;
  let query = loose.selectFrom(spec.table).selectAll().where((eb) => spec.ofSite(eb, siteId));
  if (after) {
    const columns = sql.join(spec.key.map((column) => sql.ref(column)));
    const values = sql.join(spec.key.map((column) => after[column]));
    query = query.where(sql<boolean>`(${columns}) > (${values})`);
  }
  for (const column of spec.key) query = query.orderBy(column);
  return query.limit(limit).execute();
}

/** Inserts archived rows of one table as they are (their ids included). */
export async function insertArchiveRows(db: Kysely<Database>, table: keyof Database, rows: readonly ArchiveRow[]): Promise<void> {
  if (rows.length) await (db as unknown as Kysely<any>).insertInto(table).values([...rows]).execute();
}

/** The archived rows among these that already exist, by primary key columns: an import must not overwrite. */
export async function countExisting(db: Kysely<Database>, table: 'sites' | 'users', ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await (db as unknown as Kysely<any>).selectFrom(table).select('id').where('id', 'in', [...ids]).execute();
  return rows.map((row: { id: string }) => row.id);
}
