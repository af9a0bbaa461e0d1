// JSON bodies are checked strictly: a number where a string belongs is a 400, not silently converted.
// Query strings and path parameters arrive as text, so there "20" may stand for the integer 20.
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance, FastifySchemaCompiler } from 'fastify';
import { ParleyError } from '../core/errors.js';

function makeAjv(coerceTypes: false | 'array'): Ajv {
  const ajv = new Ajv({ coerceTypes, useDefaults: true, removeAdditional: false, allErrors: false, strict: false });
  addFormats.default(ajv);
  return ajv;
}

export function validatorCompiler(sharedSchemas: object[]): FastifySchemaCompiler<object> {
  const strict = makeAjv(false);
  const coercing = makeAjv('array');
  for (const schema of sharedSchemas) {
    strict.addSchema(schema);
    coercing.addSchema(schema);
  }
  return ({ schema, httpPart }) => {
    const validate: ValidateFunction = (httpPart === 'body' ? strict : coercing).compile(schema);
    return (data: unknown) => (validate(data) ? { value: data } : { error: Object.assign(new Error('invalid'), { validation: validate.errors }) });
  };
}

/** A body a route reads as a stream (an upload): not parsed, so not walked. */
const isStream = (value: object) => typeof (value as { pipe?: unknown }).pipe === 'function';

/** The first string in a parsed request part that holds a NUL character, as a field path; null when none does. */
function findNul(value: unknown, path: string): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  // Parsed JSON and forms only: an upload's body is a stream, read by its route.
  if (value && typeof value === 'object' && !isStream(value)) {
    for (const [key, inner] of Object.entries(value)) {
      if (key.includes('\u0000')) return path;
      const found = findNul(inner, path ? `${path}.${key}` : key);
      if (found !== null) return found;
    }
  }
  return null;
}

/**
 * PostgreSQL text cannot hold a NUL character, SQLite can: refuse it everywhere, before any route runs,
 * so that both databases answer the same clear 400 (no comment, name or title needs one).
 */
export function rejectNulCharacters(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    for (const [part, value] of [['body', request.body], ['query', request.query], ['params', request.params]] as const) {
      const field = findNul(value, '');
      if (field !== null) {
        throw new ParleyError(400, 'invalid_character', `${field || `The ${part}`} contains a NUL character (\\u0000), which Parley does not accept.`);
      }
    }
  });
}
