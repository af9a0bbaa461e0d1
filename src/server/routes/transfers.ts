// Moving a site in and out from the console: upload a Disqus or WordPress export and follow its import, download
// the site's archive or its comments as CSV. Admins of the site only; each import and export is audited.
import { PassThrough, type Readable } from 'node:stream';
import { once } from 'node:events';
import { Type } from 'typebox';
import type { App, AppContext } from '../context.js';
import { requireRole } from '../auth.js';
import { ParleyError } from '../../core/errors.js';
import { ExportQuery, IdParams, ImportJob, ImportJobList, ImportJobParams, ImportStartQuery, errors } from '../../contracts/schemas.js';
import { utcDay } from '../../core/time.js';

/** The types an export file arrives as; the body is streamed to disk, never held in memory. */
const UPLOAD_TYPES = ['application/xml', 'text/xml', 'application/octet-stream'];

export async function transferRoutes(app: App, { transfers }: AppContext) {
  const tags = ['moving in and out'];
  app.addHook('onClose', () => transfers.close());

  // Only in this plugin: the upload route reads its body as a stream; any type but JSON is passed on as one, so
  // that the route, not the framework, says which types it takes.
  app.addContentTypeParser('*', (_request, payload, done) => done(null, payload));

  app.post(
    '/api/sites/:id/imports',
    {
      schema: {
        tags,
        summary: 'Import a Disqus or WordPress export into the site (admins): the file is the body (application/xml); the import runs in the background',
        params: IdParams,
        querystring: ImportStartQuery,
        response: { 202: ImportJob, ...errors(400, 401, 403, 404, 409, 413, 415) },
      },
    },
    async (request, reply) => {
      const admin = requireRole(request, 'admin');
      const body = request.body as unknown;
      const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      if (!isStream(body) || !UPLOAD_TYPES.includes(type)) {
        throw new ParleyError(415, 'unsupported_media_type', `Send the export file itself as the body, as ${UPLOAD_TYPES.join(', ')}.`);
      }
      const { source, moderation = 'score', fileName = `${source}.xml` } = request.query;
      const job = await transfers.start(admin, request.params.id, { source, moderation, fileName }, body);
      return reply.code(202).send(job);
    },
  );

  app.get(
    '/api/sites/:id/imports',
    { schema: { tags, summary: "The site's latest imports from the console, newest first (admins)", params: IdParams, response: { 200: ImportJobList, ...errors(401, 403, 404) } } },
    async (request) => ({ imports: await transfers.list(requireRole(request, 'admin'), request.params.id) }),
  );

  app.get(
    '/api/sites/:id/imports/:jobId',
    { schema: { tags, summary: 'One import and how far it got (admins)', params: ImportJobParams, response: { 200: ImportJob, ...errors(401, 403, 404) } } },
    async (request) => transfers.get(requireRole(request, 'admin'), request.params.id, request.params.jobId),
  );

  app.post(
    '/api/sites/:id/imports/:jobId/resume',
    {
      schema: {
        tags,
        summary: 'Finish an import that a restart cut short (admins); nothing is imported twice',
        params: ImportJobParams,
        response: { 202: ImportJob, ...errors(401, 403, 404, 409) },
      },
    },
    async (request, reply) => reply.code(202).send(await transfers.resume(requireRole(request, 'admin'), request.params.id, request.params.jobId)),
  );

  app.get(
    '/api/sites/:id/export',
    {
      schema: {
        tags,
        summary: "Download the site (admins): jsonl, an archive that `parley import parley` reads back; csv, its comments with scores and decisions",
        params: IdParams,
        querystring: ExportQuery,
        response: { 200: Download, ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const admin = requireRole(request, 'admin');
      const format = request.query.format ?? 'jsonl';
      const siteId = request.params.id;
      const out = new PassThrough();
      // A reader who goes away (the download cancelled) stops the export rather than leaving it waiting.
      const write = async (line: string) => {
        if (out.destroyed) throw new Error('the download was cancelled');
        if (!out.write(`${line}\n`)) await Promise.race([once(out, 'drain'), once(out, 'close')]);
      };
      // The first line is awaited before answering, so that a refusal is an error answer, not a broken file.
      let started!: () => void;
      const ready = new Promise<void>((resolve) => (started = resolve));
      const writing = transfers.export(admin, siteId, format, async (line) => {
        started();
        await write(line);
      });
      await Promise.race([ready, writing]);
      writing.then(
        () => out.end(),
        (error: unknown) => {
          request.log.error({ err: error }, 'export stopped');
          out.destroy(error instanceof Error ? error : new Error(String(error)));
        },
      );
      const stamp = utcDay(Date.now());
      return reply
        .header('content-type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8')
        .header('content-disposition', `attachment; filename="parley-${siteId}-${stamp}.${format}"`)
        .header('cache-control', 'no-store')
        .send(out);
    },
  );
}

/** The file itself, streamed as an attachment. */
const Download = Type.Unsafe<Readable>({ type: 'string', format: 'binary', description: 'The file, as an attachment' });

const isStream = (body: unknown): body is Readable => typeof body === 'object' && body !== null && typeof (body as Readable).pipe === 'function';
