// Sites: the sites a staff member may act on, each site's moderation policy, and the classifier's own thresholds.
import type { App, AppContext } from '../context.js';
import { requireRole, requireStaff } from '../auth.js';
import { ClassifierInfo, IdParams, SiteList, SiteOrigins, SitePolicy, errors } from '../../contracts/schemas.js';

export async function siteRoutes(app: App, { moderation, sites }: AppContext) {
  const tags = ['moderation'];

  app.get(
    '/api/sites',
    {
      schema: {
        tags,
        summary: 'The sites this moderator or admin may act on',
        response: { 200: SiteList, ...errors(401, 403) },
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
        response: { 200: ClassifierInfo, ...errors(401, 403) },
      },
    },
    async (request) => {
      requireStaff(request);
      return { thresholds: moderation.shippedThresholds() };
    },
  );

  app.get(
    '/api/sites/:id/policy',
    { schema: { tags, summary: "A site's moderation policy", params: IdParams, response: { 200: SitePolicy, ...errors(401, 403, 404) } } },
    async (request) => moderation.getPolicy(requireStaff(request), request.params.id),
  );

  app.put(
    '/api/sites/:id/policy',
    {
      schema: {
        tags,
        summary: "Replace a site's moderation policy (admins); decisions already taken do not change",
        params: IdParams,
        body: SitePolicy,
        response: { 200: SitePolicy, ...errors(400, 401, 403, 404, 422) },
      },
    },
    async (request) => moderation.putPolicy(requireRole(request, 'admin'), request.params.id, request.body),
  );

  app.get(
    '/api/sites/:id/origins',
    {
      schema: {
        tags,
        summary: "The origins whose pages may embed the site's threads (the embed's allowed origins)",
        params: IdParams,
        response: { 200: SiteOrigins, ...errors(401, 403, 404) },
      },
    },
    async (request) => ({ origins: await sites.origins(requireStaff(request), request.params.id) }),
  );

  app.put(
    '/api/sites/:id/origins',
    {
      schema: {
        tags,
        summary: "Replace the site's allowed embed origins (admins); each is scheme://host[:port], stored normalized",
        params: IdParams,
        body: SiteOrigins,
        response: { 200: SiteOrigins, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => ({ origins: await sites.setOrigins(requireRole(request, 'admin'), request.params.id, request.body.origins) }),
  );
}
