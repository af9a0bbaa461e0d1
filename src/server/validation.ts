// JSON bodies are checked strictly: a number where a string belongs is a 400, not silently converted.
// Query strings and path parameters arrive as text, so there "20" may stand for the integer 20.
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

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
