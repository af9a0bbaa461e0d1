// Sites: the sites a staff member may act on, each site's moderation policy, and the classifier's own thresholds.
import { Type } from 'typebox';
import type { App, AppContext } from '../context.js';
import { requireRole, requireStaff } from '../auth.js';
import { IdParams, errors } from '../schemas.js';
import { LABELS } from '../../moderation/labels.js';

const Threshold = Type.Number({ minimum: 0, maximum: 1 });
const WordList = Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 2000 });

export const PolicySchema = Type.Object(
  {
    bannedWords: WordList,
    suspectWords: WordList,
    maxLength: Type.Integer({ minimum: 1, maximum: 20_000 }),
    maxLinks: Type.Integer({ minimum: 0, maximum: 100 }),
    thresholds: Type.Object(
      Object.fromEntries(LABELS.map((l) => [l, Type.Optional(Type.Object({ hold: Threshold, reject: Threshold }, { additionalProperties: false }))])),
      { additionalProperties: false },
    ),
    preModeration: Type.Union([Type.Literal('none'), Type.Literal('all'), Type.Literal('new_accounts')]),
    newAccountComments: Type.Integer({ minimum: 0, maximum: 1000 }),
    reportThreshold: Type.Integer({ minimum: 1, maximum: 1000 }),
  },
  { additionalProperties: false },
);

export async function siteRoutes(app: App, { moderation }: AppContext) {
  const tags = ['moderation'];

  app.get(
    '/api/sites',
    {
      schema: {
        tags,
        summary: 'The sites this moderator or admin may act on',
        response: {
          200: {
            type: 'object',
            properties: {
              sites: {
                type: 'array',
                items: { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' }, reportThreshold: { type: 'integer' } } },
              },
            },
          },
          ...errors(401, 403),
        },
      },
    },
    async (request) => ({ sites: await moderation.sites(requireStaff(request)) }),
  );

  app.get(
    '/api/moderation/classifier',
    {
      schema: {
        tags,
        summary: "The shipped classifier's thresholds per label (used where a site's policy sets none); null without a classifier",
        response: {
          200: {
            type: 'object',
            properties: {
              thresholds: {
                anyOf: [
                  { type: 'object', additionalProperties: { type: 'object', properties: { hold: { type: 'number' }, reject: { type: 'number' } } } },
                  { type: 'null' },
                ],
              },
            },
          },
          ...errors(401, 403),
        },
      },
    },
    async (request) => {
      requireStaff(request);
      return { thresholds: moderation.shippedThresholds() };
    },
  );

  app.get(
    '/api/sites/:id/policy',
    { schema: { tags, summary: "A site's moderation policy", params: IdParams, response: { 200: PolicySchema, ...errors(401, 403, 404) } } },
    async (request) => moderation.getPolicy(requireStaff(request), request.params.id),
  );

  app.put(
    '/api/sites/:id/policy',
    {
      schema: {
        tags,
        summary: "Replace a site's moderation policy (admins); decisions already taken do not change",
        params: IdParams,
        body: PolicySchema,
        response: { 200: PolicySchema, ...errors(400, 401, 403, 404, 422) },
      },
    },
    async (request) => moderation.putPolicy(requireRole(request, 'admin'), request.params.id, request.body),
  );
}
