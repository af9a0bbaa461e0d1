// Queries behind imports: which Parley row each imported record became, the comments waiting to be placed in
// their threads, and the imports started from the console (import_jobs).
import { sql, type Kysely } from 'kysely';
import type { Database, ImportJobRow, ImportKeysTable, ImportStagingTable } from './schema.js';
import { idList } from './ids.js';
import { appendAudit } from './audit.js';

export type ImportKind = ImportKeysTable['kind'];
export type StagedComment = ImportStagingTable;
/** A staged comment with its parent's Parley id, when the parent is already placed. */
export type PlaceableComment = StagedComment & { parent_parley_id: string | null };

/** The Parley ids of these external ids of one kind, for those already imported. */
export async function findImportKeys(
  db: Kysely<Database>,
  scope: { siteId: string; source: string },
  kind: ImportKind,
  externalIds: readonly string[],
): Promise<Map<string, string>> {
  if (externalIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('import_keys')
    .select(['external_id', 'parley_id'])
    .where('site_id', '=', scope.siteId)
    .where('source', '=', scope.source)
    .where('kind', '=', kind)
    .where('external_id', 'in', idList(externalIds))
    .execute();
  return new Map(rows.map((r) => [r.external_id, r.parley_id]));
}

/** Records what imported records became; a key already recorded is left as it is. */
export async function insertImportKeys(db: Kysely<Database>, keys: readonly ImportKeysTable[]): Promise<void> {
  if (keys.length === 0) return;
  await db.insertInto('import_keys').values([...keys]).onConflict((oc) => oc.doNothing()).execute();
}

/** Stages comments to place later; a comment already staged is left as it is. */
export async function stageComments(db: Kysely<Database>, rows: readonly StagedComment[]): Promise<number> {
  if (rows.length === 0) return 0;
  const result = await db.insertInto('import_staging').values([...rows]).onConflict((oc) => oc.doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}

/**
 * Staged comments that can be placed now, oldest first after `after`: those with no parent, those whose
 * parent is placed, and those whose parent is nowhere in the file (they become top-level comments).
 */
export async function readPlaceableComments(
  db: Kysely<Database>,
  scope: { siteId: string; source: string },
  after: { created_at: number; external_id: string } | null,
  limit: number,
): Promise<PlaceableComment[]> {
  let query = db
    .selectFrom('import_staging as s')
    .leftJoin('import_keys as k', (join) =>
      join
        .onRef('k.site_id', '=', 's.site_id')
        .onRef('k.source', '=', 's.source')
        .on('k.kind', '=', 'comment')
        .onRef('k.external_id', '=', 's.parent_external_id'),
    )
    .selectAll('s')
    .select('k.parley_id as parent_parley_id')
    .where('s.site_id', '=', scope.siteId)
    .where('s.source', '=', scope.source)
    .where((eb) =>
      eb.or([
        eb('s.parent_external_id', 'is', null),
        eb('k.parley_id', 'is not', null),
        eb.not(
          eb.exists(
            eb
              .selectFrom('import_staging as p')
              .select(sql`1`.as('one'))
              .whereRef('p.site_id', '=', 's.site_id')
              .whereRef('p.source', '=', 's.source')
              .whereRef('p.external_id', '=', 's.parent_external_id'),
          ),
        ),
      ]),
    )
  // Each pass walks the staged comments once, in age order, from where the last batch stopped.
  if (after) query = query.where((eb) => eb(eb.refTuple('s.created_at', 's.external_id'), '>', eb.tuple(after.created_at, after.external_id)));
  return query.orderBy('s.created_at').orderBy('s.external_id').limit(limit).execute() as Promise<PlaceableComment[]>;
}

/** Any staged comments, oldest first: what is left when only reply cycles remain. */
export async function readStagedComments(db: Kysely<Database>, scope: { siteId: string; source: string }, limit: number): Promise<PlaceableComment[]> {
  const rows = await db
    .selectFrom('import_staging')
    .selectAll()
    .where('site_id', '=', scope.siteId)
    .where('source', '=', scope.source)
    .orderBy('created_at')
    .orderBy('external_id')
    .limit(limit)
    .execute();
  return rows.map((row) => ({ ...row, parent_parley_id: null }));
}

/** Forgets staged comments once placed (or given up on). */
export async function unstageComments(db: Kysely<Database>, scope: { siteId: string; source: string }, externalIds: readonly string[]): Promise<void> {
  if (externalIds.length === 0) return;
  await db
    .deleteFrom('import_staging')
    .where('site_id', '=', scope.siteId)
    .where('source', '=', scope.source)
    .where('external_id', 'in', idList(externalIds))
    .execute();
}

/** How many comments still wait to be placed. */
export async function countStagedComments(db: Kysely<Database>, scope: { siteId: string; source: string }): Promise<number> {
  const row = await db
    .selectFrom('import_staging')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('site_id', '=', scope.siteId)
    .where('source', '=', scope.source)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export type NewImportJob = Omit<ImportJobRow, 'pass' | 'done' | 'total' | 'summary_json' | 'error' | 'finished_at' | 'updated_at' | 'status'>;

/** Whether an import of the site runs and was heard from since staleBefore. */
export async function hasRunningImport(db: Kysely<Database>, siteId: string, staleBefore: number): Promise<boolean> {
  const running = await db
    .selectFrom('import_jobs')
    .select('id')
    .where('site_id', '=', siteId)
    .where('status', '=', 'running')
    .where('updated_at', '>=', staleBefore)
    .executeTakeFirst();
  return running !== undefined;
}

/**
 * Records a console import as running, with its audit entry, unless the site has an import running already (two
 * imports of one site would place each other's staged comments). Answers the job, or null when one is running.
 * @param staleBefore a running job not heard from since then is taken as interrupted (its process died)
 */
export async function startImportJob(db: Kysely<Database>, job: NewImportJob, staleBefore: number): Promise<ImportJobRow | null> {
  return db.transaction().execute(async (trx) => {
    if (await hasRunningImport(trx, job.site_id, staleBefore)) return null;
    const row: ImportJobRow = { ...job, status: 'running', pass: null, done: 0, total: null, summary_json: null, error: null, updated_at: job.created_at, finished_at: null };
    await trx.insertInto('import_jobs').values(row).execute();
    await appendAudit(trx, {
      site_id: job.site_id,
      actor_id: job.started_by,
      action: 'site.import',
      target_type: 'site',
      target_id: job.site_id,
      reason: null,
      before_json: null,
      after_json: JSON.stringify({ job: job.id, source: job.source, moderation: job.moderation, file: job.file_name, bytes: job.file_bytes }),
    }, job.created_at);
    return row;
  });
}

/** Marks an interrupted or failed job as running again, unless another import of its site runs; false then. */
export async function resumeImportJob(db: Kysely<Database>, id: string, staleBefore: number, now: number): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const job = await trx.selectFrom('import_jobs').select('site_id').where('id', '=', id).executeTakeFirst();
    if (!job) return false;
    if (await hasRunningImport(trx, job.site_id, staleBefore)) return false;
    const result = await trx
      .updateTable('import_jobs')
      .set({ status: 'running', error: null, updated_at: now, finished_at: null })
      .where('id', '=', id)
      .where('status', '!=', 'done')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  });
}

/** Moves a job on: its progress while it runs (also a sign of life), its outcome when it ends. */
export async function updateImportJob(
  db: Kysely<Database>,
  id: string,
  changes: Partial<Pick<ImportJobRow, 'status' | 'pass' | 'done' | 'total' | 'summary_json' | 'error' | 'finished_at'>>,
  now: number,
): Promise<void> {
  await db.updateTable('import_jobs').set({ ...changes, updated_at: now }).where('id', '=', id).execute();
}

export async function findImportJob(db: Kysely<Database>, id: string): Promise<ImportJobRow | undefined> {
  return db.selectFrom('import_jobs').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A site's latest console imports, newest first. */
export async function listImportJobs(db: Kysely<Database>, siteId: string, limit: number): Promise<ImportJobRow[]> {
  return db.selectFrom('import_jobs').selectAll().where('site_id', '=', siteId).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}
