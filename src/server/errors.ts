// Every failure leaves as {error: {code, message}} with a fitting status; only real server faults are 500s.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ParleyError } from '../core/errors.js';

export interface ErrorBody {
  error: { code: string; message: string };
}

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
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    return { status, code: 'bad_request', message: error.message || 'The request cannot be served.' };
  }
  return { status: 500, code: 'internal', message: 'Something went wrong on our side; please try again.' };
}

const wantsHtml = (request: FastifyRequest) => !request.url.startsWith('/api/') && request.url !== '/healthz';

export function installErrorHandling(app: FastifyInstance, renderHtml: HtmlErrorRenderer): void {
  app.setErrorHandler((error: FastifyError, request, reply: FastifyReply) => {
    const { status, code, message } = classify(error);
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code, status }, message);
    if (wantsHtml(request)) return reply.status(status).type('text/html; charset=utf-8').send(renderHtml(request, status, message));
    return reply.status(status).send({ error: { code, message } } satisfies ErrorBody);
  });

  app.setNotFoundHandler((request, reply) => {
    const message = `There is nothing at ${request.method} ${request.url.split('?')[0]}.`;
    if (wantsHtml(request)) return reply.status(404).type('text/html; charset=utf-8').send(renderHtml(request, 404, message));
    return reply.status(404).send({ error: { code: 'not_found', message } } satisfies ErrorBody);
  });
}
