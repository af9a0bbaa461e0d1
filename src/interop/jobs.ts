// Imports and exports started from the console, for newsrooms without a shell. An upload is written to a file
// under the imports folder, then imported in the background by the same Importer as `parley import`; its progress
// is kept in import_jobs, so that any process can show it and a run cut short (a restart) can be resumed.
import { createWriteStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Storage } from '../storage/db.js';
import type { ImportJobRow, UserRow } from '../storage/schema.js';
import { newId } from '../storage/ids.js';
import { findSite } from '../storage/sites.js';
import { findUserById } from '../storage/users.js';
import { appendAudit } from '../storage/audit.js';
import { findImportJob, hasRunningImport, listImportJobs, resumeImportJob, startImportJob, updateImportJob } from '../storage/imports.js';
import type { ModerationStep } from '../moderation/step.js';
import type { ImportJob } from '../contracts/api.js';
import { ParleyError, notFound, assertActsOnSite } from '../core/errors.js';
import { Importer, ImportInterrupted, describeSummary, type ImportProgress, type ImportSummary } from './importer.js';
import { exportArchive, exportCommentsCsv } from './archive.js';

export interface ImportJobsOptions {
  /** Where uploads wait until their import is done (on this machine). */
  dir: string;
  /** The largest upload taken, in bytes. */
  maxBytes: number;
}

/** A running import writes its progress this often; one silent for HEARTBEATS_MISSED times that has died. */
const HEARTBEAT_MS = 1000;
const HEARTBEATS_MISSED = 30;
const LISTED_IMPORTS = 20;

export class ImportJobs {
  private readonly running = new Map<string, { stop: AbortController; finished: Promise<void> }>();

  constructor(
    private readonly storage: Storage,
    private readonly step: ModerationStep,
    private readonly options: ImportJobsOptions,
  ) {}

  private get db() {
    return this.storage.db;
  }

  private staleBefore(now: number): number {
    return now - HEARTBEAT_MS * HEARTBEATS_MISSED;
  }

  private fileOf(jobId: string): string {
    return join(this.options.dir, `${jobId}.xml`);
  }

  private async site(staff: UserRow, siteId: string) {
    assertActsOnSite(staff, siteId);
    const site = await findSite(this.db, siteId);
    if (!site) throw notFound('The site');
    return site;
  }

  /** Receives the file and starts importing it; answers at once, the import goes on in the background. */
  async start(
    admin: UserRow,
    siteId: string,
    request: { source: ImportJobRow['source']; moderation: ImportJobRow['moderation']; fileName: string },
    body: Readable,
  ): Promise<ImportJob> {
    await this.site(admin, siteId);
    // Asked before the upload too (the same question startImportJob asks in its transaction), so that nobody
    // sends gigabytes to hear that an import is running.
    if (await hasRunningImport(this.db, siteId, this.staleBefore(Date.now()))) throw importRunning();
    const id = newId();
    const bytes = await this.receive(body, this.fileOf(id));
    const job = await startImportJob(
      this.db,
      { id, site_id: siteId, source: request.source, moderation: request.moderation, file_name: request.fileName, file_bytes: bytes, started_by: admin.id, created_at: Date.now() },
      this.staleBefore(Date.now()),
    );
    if (!job) {
      await rm(this.fileOf(id), { force: true });
      throw importRunning();
    }
    this.launch(job);
    return this.view(job, admin.username);
  }

  /** Finishes an import that was cut short; what it had done stays done and is not repeated. */
  async resume(admin: UserRow, siteId: string, jobId: string): Promise<ImportJob> {
    const job = await this.job(admin, siteId, jobId);
    if (job.status === 'done' || job.status === 'failed') throw new ParleyError(409, 'import_finished', `This import has ${job.status === 'done' ? 'finished' : 'failed'}; upload the file again to import it anew.`);
    if (this.isRunning(job, Date.now())) throw importRunning();
    if (!(await this.hasFile(job.id))) throw fileGone();
    if (!(await resumeImportJob(this.db, job.id, this.staleBefore(Date.now()), Date.now()))) throw importRunning();
    const resumed = (await findImportJob(this.db, job.id))!;
    this.launch(resumed);
    return this.view(resumed);
  }

  async list(staff: UserRow, siteId: string): Promise<ImportJob[]> {
    await this.site(staff, siteId);
    return Promise.all((await listImportJobs(this.db, siteId, LISTED_IMPORTS)).map((job) => this.view(job)));
  }

  async get(staff: UserRow, siteId: string, jobId: string): Promise<ImportJob> {
    return this.view(await this.job(staff, siteId, jobId));
  }

  /**
   * Writes the site's archive (jsonl) or its comments (csv) line by line, after recording who took it.
   * @param write resolves when the line may be followed by the next (the reader keeps up)
   */
  async export(admin: UserRow, siteId: string, format: 'jsonl' | 'csv', write: (line: string) => Promise<void>): Promise<void> {
    await this.site(admin, siteId);
    await appendAudit(this.db, {
      site_id: siteId,
      actor_id: admin.id,
      action: 'site.export',
      target_type: 'site',
      target_id: siteId,
      reason: null,
      before_json: null,
      after_json: JSON.stringify({ format }),
    });
    if (format === 'csv') await exportCommentsCsv(this.storage, siteId, write);
    else await exportArchive(this.storage, siteId, write);
  }

  /** Stops the imports this process runs between two batches (they can be resumed) and waits for them. */
  async close(): Promise<void> {
    for (const { stop } of this.running.values()) stop.abort();
    await Promise.all([...this.running.values()].map(({ finished }) => finished));
  }

  private async job(staff: UserRow, siteId: string, jobId: string): Promise<ImportJobRow> {
    await this.site(staff, siteId);
    const job = await findImportJob(this.db, jobId);
    if (!job || job.site_id !== siteId) throw notFound('The import');
    return job;
  }

  /** Running here, or running elsewhere and heard from lately. */
  private isRunning(job: ImportJobRow, now: number): boolean {
    return this.running.has(job.id) || (job.status === 'running' && job.updated_at >= this.staleBefore(now));
  }

  private async hasFile(jobId: string): Promise<boolean> {
    return stat(this.fileOf(jobId)).then(() => true, () => false);
  }

  private async receive(body: Readable, path: string): Promise<number> {
    await mkdir(this.options.dir, { recursive: true });
    let bytes = 0;
    const { maxBytes } = this.options;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        if (bytes > maxBytes) done(new ParleyError(413, 'file_too_large', `The file is larger than this server takes (${megabytes(maxBytes)} MB; PARLEY_IMPORT_MAX_MB sets it).`));
        else done(null, chunk);
      },
    });
    try {
      await pipeline(body, counter, createWriteStream(path));
    } catch (error) {
      await rm(path, { force: true });
      if (error instanceof ParleyError) throw error;
      throw new ParleyError(400, 'upload_failed', 'The upload did not arrive whole; try again.');
    }
    if (bytes === 0) {
      await rm(path, { force: true });
      throw new ParleyError(400, 'empty_file', 'The file is empty.');
    }
    return bytes;
  }

  private launch(job: ImportJobRow): void {
    const stop = new AbortController();
    let progress: ImportProgress | null = null;
    const record = (changes: Parameters<typeof updateImportJob>[2]) =>
      updateImportJob(this.db, job.id, changes, Date.now()).catch((error: unknown) => process.emitWarning(`import ${job.id}: ${String(error)}`));
    // The progress, and a sign of life for the other processes, once a heartbeat.
    const heartbeat = setInterval(() => void record(progress ? { pass: progress.pass, done: progress.done, total: progress.total } : {}), HEARTBEAT_MS);
    const importer = new Importer(this.storage, this.step);
    const file = this.fileOf(job.id);
    const finished = importer
      .run({ siteId: job.site_id, source: job.source, file, moderation: job.moderation, signal: stop.signal, onProgress: (p) => (progress = p) })
      .then(
        async (summary: ImportSummary): Promise<Parameters<typeof updateImportJob>[2]> => {
          await rm(file, { force: true });
          return { status: 'done', pass: null, summary_json: JSON.stringify(summary), finished_at: Date.now() };
        },
        async (error: unknown): Promise<Parameters<typeof updateImportJob>[2]> => {
          if (error instanceof ImportInterrupted) return { status: 'interrupted' };
          // A file that cannot be imported is not kept: uploading it again, mended, is the way on.
          await rm(file, { force: true });
          return { status: 'failed', error: error instanceof Error ? error.message : String(error), finished_at: Date.now() };
        },
      )
      // No longer running here before the outcome is written, so that whoever reads the outcome may start another.
      .then(async (outcome) => {
        clearInterval(heartbeat);
        this.running.delete(job.id);
        await record(outcome);
      });
    this.running.set(job.id, { stop, finished });
  }

  private async view(job: ImportJobRow, startedBy?: string): Promise<ImportJob> {
    const now = Date.now();
    const running = this.isRunning(job, now);
    const status = job.status === 'running' && !running ? 'interrupted' : job.status;
    const iso = (ms: number) => new Date(ms).toISOString();
    return {
      id: job.id,
      siteId: job.site_id,
      source: job.source,
      moderation: job.moderation,
      fileName: job.file_name,
      fileBytes: job.file_bytes,
      status,
      pass: job.pass,
      done: job.done,
      total: job.total,
      summary: job.summary_json ? describeSummary(JSON.parse(job.summary_json) as ImportSummary) : null,
      error: job.error,
      resumable: status === 'interrupted' && (await this.hasFile(job.id)),
      startedBy: startedBy ?? (await findUserById(this.db, job.started_by))?.username ?? null,
      createdAt: iso(job.created_at),
      updatedAt: iso(job.updated_at),
      finishedAt: job.finished_at === null ? null : iso(job.finished_at),
    };
  }
}

const megabytes = (bytes: number) => (bytes / 1024 / 1024).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0);

const importRunning = () => new ParleyError(409, 'import_running', 'An import into this site is running; wait for it to finish.');
const fileGone = () =>
  new ParleyError(409, 'file_gone', 'The uploaded file is no longer on this server; upload it again (what was imported is not imported twice).');
