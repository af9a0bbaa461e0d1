// Every failure leaves as {error: {code, message}} with a fitting status; only real server faults are 500s.
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Static } from 'typebox';
import { ParleyError } from '../core/errors.js';
import type { ErrorModel } from '../contracts/schemas.js';
import { isDatabaseUnavailable } from '../storage/db.js';

/** Seconds a client (or a load balancer) is asked to wait before trying again when the database is unavailable. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/** The error shape of every failure: the Error model in src/contracts. */
export type ErrorBody = Static<typeof ErrorModel>;

/** How a page route shows an error to a person; API routes answer JSON. */
export type HtmlErrorRenderer = (request: FastifyRequest, status: number, message: string) => string;

interface ValidationIssue {
  instancePath?: string;
  message?: string;
  keyword?: string;
  params?: Record<string, unknown>;
}

/** "body/username must NOT have fewer than 2 characters" becomes "username must have at least 2 characters". */
function describeValidation(issues: ValidationIssue[], context: string | undefined): string {
  const issue = issues[0];
  if (!issue) return 'The request is not valid.';
  const path = (issue.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
  const field =
    issue.keyword === 'required'
      ? String(issue.params?.missingProperty ?? '')
      : issue.keyword === 'additionalProperties'
        ? String(issue.params?.additionalProperty ?? '')
        : path;
  const where = field || context || 'the request';
  switch (issue.keyword) {
    case 'required':
      return `${where} is required.`;
    case 'additionalProperties':
      return `${where} is not a field this request takes.`;
    case 'minLength':
      return `${where} must be at least ${issue.params?.limit} characters long.`;
    case 'maxLength':
      return `${where} must be at most ${issue.params?.limit} characters long.`;
    case 'type': {
      const raw = String(issue.params?.type ?? 'value').replace(/,/g, ' or ');
      const type = raw === 'object' && !field ? 'JSON object' : raw;
      return `${where} must be ${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}.`;
    }
    case 'pattern':
      return `${where} has characters or a shape that is not allowed.`;
    case 'minimum':
    case 'maximum':
      return `${where} ${issue.message}.`;
    default:
      return `${where} ${issue.message ?? 'is not valid'}.`;
  }
}

function classify(error: FastifyError & { validation?: ValidationIssue[]; validationContext?: string }): ErrorBody['error'] & { status: number } {
  if (error instanceof ParleyError) return { status: error.status, code: error.code, message: error.message };
  if (error.validation) {
    return { status: 400, code: 'invalid_request', message: describeValidation(error.validation, error.validationContext) };
  }
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, code: 'body_too_large', message: 'The request body is too large.' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, code: 'unsupported_media_type', message: 'Send the body as application/json.' };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, code: 'malformed_json', message: 'The body is empty; send a JSON object.' };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { status: 400, code: 'malformed_json', message: 'The body is not valid JSON.' };
  }
  if (error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_CONTENT_LENGTH') {
    return { status: 400, code: 'malformed_request', message: 'The request body could not be read.' };
  }
  if (isDatabaseUnavailable(error)) {
    return { status: 503, code: 'database_unavailable', message: 'The database is not answering right now; please try again in a few seconds.' };
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    return { status, code: 'bad_request', message: error.message || 'The request cannot be served.' };
  }
  return { status: 500, code: 'internal', message: 'Something went wrong on our side; please try again.' };
}

/** The request's path, also when the client sent the absolute form (`GET http://host/api/me`). */
const pathOf = (url: string) => url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '').split('?')[0] || '/';

const wantsHtml = (url: string) => {
  const path = pathOf(url);
  return !path.startsWith('/api/') && !['/healthz', '/livez', '/readyz', '/metrics'].includes(path);
};

/** Faults Fastify's router finds before any route runs (a broken percent-encoding, an over-long parameter). */
function classifyRouting(error: FastifyError): ErrorBody['error'] & { status: number } {
  switch (error.code) {
    case 'FST_ERR_BAD_URL':
      return { status: 400, code: 'bad_url', message: 'The address is not valid: it has a broken percent-encoding.' };
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return { status: 414, code: 'uri_too_long', message: 'A part of the address is too long.' };
    default:
      return { status: 400, code: 'bad_request', message: 'The request cannot be served.' };
  }
}

/** Faults in the HTTP framing itself, found before Fastify sees a request: answered on the socket. */
function classifyFraming(error: Error & { code?: string }): ErrorBody['error'] & { status: number } {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return { status: 431, code: 'headers_too_large', message: 'The request headers (or its address) are too large.' };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { status: 408, code: 'request_timeout', message: 'The request took too long to arrive.' };
    default:
      return { status: 400, code: 'malformed_request', message: 'The request is not well-formed HTTP.' };
  }
}

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' };

/** Fastify's options that route framework and socket-level faults into the documented error shape. */
export function frameworkErrorOptions(renderHtml: HtmlErrorRenderer) {
  return {
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      const { status, code, message } = classifyRouting(error);
      request.log.info({ code, status }, message);
      if (wantsHtml(request.raw.url ?? '/')) return reply.status(status).type('text/html; charset=utf-8').send(renderHtml(request, status, message));
      return reply.status(status).send({ error: { code, message } } satisfies ErrorBody);
    },
    clientErrorHandler: (error: Error & { code?: string }, socket: Socket) => {
      if (error.code === 'ECONNRESET' || !socket.writable) {
        socket.destroy();
        return;
      }
      const { status, code, message } = classifyFraming(error);
      const body = JSON.stringify({ error: { code, message } } satisfies ErrorBody);
      socket.end(
        `HTTP/1.1 ${status} ${STATUS_TEXT[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    },
  };
}

export function installErrorHandling(app: FastifyInstance, renderHtml: HtmlErrorRenderer): void {
  app.setErrorHandler((error: FastifyError, request, reply: FastifyReply) => {
    const { status, code, message } = classify(error);
    if (code === 'database_unavailable') {
      request.log.warn({ err: error }, message);
      reply.header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
    } else if (status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code, status }, message);
    if (wantsHtml(request.url)) return reply.status(status).type('text/html; charset=utf-8').send(renderHtml(request, status, message));
    return reply.status(status).send({ error: { code, message } } satisfies ErrorBody);
  });

  app.setNotFoundHandler((request, reply) => {
    const path = pathOf(request.url);
    const message = `There is nothing at ${request.method} ${path.length > 200 ? `${path.slice(0, 200)}…` : path}.`;
    if (wantsHtml(request.url)) return reply.status(404).type('text/html; charset=utf-8').send(renderHtml(request, 404, message));
    return reply.status(404).send({ error: { code: 'not_found', message } } satisfies ErrorBody);
  });
}
