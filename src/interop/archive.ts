// A site's archive: one JSON Lines file with everything Parley holds about the site (its settings and
// policy, stories, comments with their scores and decisions, the people involved without their secrets,
// votes, reports, the audit log and import keys), read back into another instance so that both answer
// every read of the API alike. Also a CSV of comments for a newsroom's analysts.
import type { Storage } from '../storage/db.js';
import { findSite } from '../storage/sites.js';
import { ARCHIVED_TABLES, countExisting, insertArchiveRows, readArchivePage, type ArchiveRow } from '../storage/archive.js';
import { LABELS } from '../moderation/labels.js';
import { ParleyError, conflict, notFound } from '../core/errors.js';

const FORMAT = 'parley-archive';
const VERSION = 1;
const PAGE = 500;

interface Header {
  format: typeof FORMAT;
  version: number;
  siteId: string;
  exportedAt: string;
}

/** Rows without what must never leave the instance: password hashes. */
function withoutSecrets(table: string, row: ArchiveRow): ArchiveRow {
  return table === 'users' ? { ...row, password_hash: '' } : row;
}

/** Writes the site's archive, a line at a time; returns how many rows of each table it wrote. */
export async function exportArchive(storage: Storage, siteId: string, write: (line: string) => Promise<void>): Promise<Record<string, number>> {
  if (!(await findSite(storage.db, siteId))) throw notFound('The site');
  const header: Header = { format: FORMAT, version: VERSION, siteId, exportedAt: new Date().toISOString() };
  await write(JSON.stringify(header));
  const counts: Record<string, number> = {};
  for (const spec of ARCHIVED_TABLES) {
    counts[spec.table] = 0;
    let after: ArchiveRow | null = null;
    for (;;) {
      const rows = await readArchivePage(storage.db, spec, siteId, after, PAGE);
      for (const row of rows) await write(JSON.stringify({ table: spec.table, row: withoutSecrets(spec.table, row) }));
      counts[spec.table] = (counts[spec.table] ?? 0) + rows.length;
      if (rows.length < PAGE) break;
      after = rows[rows.length - 1]!;
    }
  }
  return counts;
}

/**
 * Reads an archive into this instance, all of it or nothing (one transaction). The site must not exist
 * here yet; people already here with the same id are the same people and are kept as they are.
 */
export async function importArchive(storage: Storage, lines: AsyncIterable<string>): Promise<Record<string, number>> {
  const known = new Set(ARCHIVED_TABLES.map((spec) => spec.table as string));
  const counts: Record<string, number> = {};
  await storage.db.transaction().execute(async (trx) => {
    let header: Header | null = null;
    let batch: { table: string; rows: ArchiveRow[] } = { table: '', rows: [] };
    const flush = async () => {
      if (batch.rows.length === 0) return;
      let rows = batch.rows;
      if (batch.table === 'users') {
        const existing = new Set(await countExisting(trx, 'users', rows.map((r) => String(r.id))));
        rows = rows.filter((r) => !existing.has(String(r.id)));
      }
      try {
        await insertArchiveRows(trx, batch.table as 'users', rows);
      } catch (error) {
        throw conflict('archive_conflict', `The ${batch.table} of this archive clash with what this instance holds (${(error as Error).message}).`);
      }
      counts[batch.table] = (counts[batch.table] ?? 0) + rows.length;
      batch = { table: batch.table, rows: [] };
    };
    let lineNumber = 0;
    for await (const line of lines) {
      lineNumber++;
      if (!line.trim()) continue;
      let record: { table?: unknown; row?: unknown } & Partial<Header>;
      try {
        record = JSON.parse(line) as typeof record;
      } catch {
        throw new ParleyError(400, 'invalid_archive', `Line ${lineNumber} of the archive is not JSON.`);
      }
      if (!header) {
        if (record.format !== FORMAT || record.version !== VERSION || typeof record.siteId !== 'string') {
          throw new ParleyError(400, 'invalid_archive', `This is not a Parley archive of version ${VERSION}.`);
        }
        header = record as Header;
        if ((await countExisting(trx, 'sites', [header.siteId])).length) {
          throw conflict('site_exists', `The site ${header.siteId} already exists here; import an archive into an instance without it.`);
        }
        continue;
      }
      if (typeof record.table !== 'string' || !known.has(record.table) || !record.row || typeof record.row !== 'object') {
        throw new ParleyError(400, 'invalid_archive', `Line ${lineNumber} of the archive is not a row of a table Parley archives.`);
      }
      if (record.table !== batch.table || batch.rows.length >= PAGE) await flush();
      batch.table = record.table;
      batch.rows.push(record.row as ArchiveRow);
    }
    if (!header) throw new ParleyError(400, 'invalid_archive', 'The archive is empty.');
    await flush();
  });
  return counts;
}

const csvField = (value: unknown) => {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/** The site's comments as CSV: one row each with its story, author, scores, decisions and moderator's action. */
export async function exportCommentsCsv(storage: Storage, siteId: string, write: (line: string) => Promise<void>): Promise<number> {
  if (!(await findSite(storage.db, siteId))) throw notFound('The site');
  const spec = ARCHIVED_TABLES.find((t) => t.table === 'comments')!;
  const columns = ['id', 'story_id', 'parent_id', 'author_id', 'created_at', 'status', 'auto_status', 'deleted', 'flagged_labels', ...LABELS.map((l) => `score_${l}`), 'moderated_by', 'moderated_at', 'moderation_reason', 'votes', 'open_reports', 'text'];
  await write(columns.join(','));
  let after: ArchiveRow | null = null;
  let written = 0;
  for (;;) {
    const rows = await readArchivePage(storage.db, spec, siteId, after, PAGE);
    for (const row of rows) {
      const scores = row.scores_json ? (JSON.parse(String(row.scores_json)) as Record<string, number>) : {};
      const iso = (ms: unknown) => (typeof ms === 'number' ? new Date(ms).toISOString() : '');
      const values = [
        row.id, row.story_id, row.parent_id, row.author_id, iso(row.created_at), row.status, row.auto_status, row.deleted_at !== null,
        String(row.flagged_labels ?? '').replace(/^,|,$/g, ''), ...LABELS.map((l) => scores[l]?.toFixed(4) ?? ''),
        row.moderated_by, iso(row.moderated_at), row.moderation_reason, row.score, row.open_reports, row.body_markdown,
      ];
      await write(values.map(csvField).join(','));
    }
    written += rows.length;
    if (rows.length < PAGE) break;
    after = rows[rows.length - 1]!;
  }
  return written;
}
