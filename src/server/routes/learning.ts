// Learning from the newsroom: moderators confirm or correct a comment's labels, which become the site's training data.
import type { App, AppContext } from '../context.js';
import { requireStaff } from '../auth.js';
import { IdParams, LabelDecisions, LabelsBody, errors } from '../../contracts/schemas.js';

export async function learningRoutes(app: App, { learning }: AppContext) {
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
}
