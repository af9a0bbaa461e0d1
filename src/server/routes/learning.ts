// Learning from the newsroom: moderators confirm or correct a comment's labels, which become the site's training data.
import type { App, AppContext } from '../context.js';
import { requireRole, requireStaff } from '../auth.js';
import {
  IdParams,
  LabelDecisions,
  LabelsBody,
  SiteModelBody,
  SiteModelQuery,
  SiteModelReport,
  SiteModelSwitch,
  errors,
} from '../../contracts/schemas.js';

export async function learningRoutes(app: App, { learning, siteModels }: AppContext) {
  const tags = ['moderation'];

  app.put(
    '/api/moderation/comments/:id/labels',
    {
      schema: {
        tags,
        summary: "Confirm (true) or correct (false) a comment's labels; labels left out keep their decision (audited)",
        params: IdParams,
        body: LabelsBody,
        response: { 200: LabelDecisions, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => learning.setLabels(requireStaff(request), request.params.id, request.body.labels),
  );

  app.get(
    '/api/sites/:id/model',
    {
      schema: {
        tags,
        summary:
          "A site's own model next to the shipped one: ROC-AUC and hold rate per label on the site's recent decisions held out from training, and calibration curves",
        params: IdParams,
        querystring: SiteModelQuery,
        response: { 200: SiteModelReport, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const staff = requireStaff(request);
      const active = await learning.siteModel(staff, request.params.id);
      return siteModels.report(learning, request.params.id, active, {
        holdRate: request.query.holdRate ?? 0.1,
        precision: request.query.precision ?? 0.9,
      });
    },
  );

  app.put(
    '/api/sites/:id/model',
    {
      schema: {
        tags,
        summary: "Score a site's comments with its own model ({use: 'site'}) or the shipped one again ({use: 'shipped'}); admins, audited",
        params: IdParams,
        body: SiteModelBody,
        response: { 200: SiteModelSwitch, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const admin = requireRole(request, 'admin');
      // Checked before the model file is looked at: staff of another site learn nothing about this one.
      await learning.siteModel(admin, request.params.id);
      const version = request.body.use === 'site' ? siteModels.availableVersion(request.params.id) : null;
      const active = await learning.setSiteModel(admin, request.params.id, version);
      return { active: active ? ('site' as const) : ('shipped' as const), version: active };
    },
  );
}
