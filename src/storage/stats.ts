// Figures for the console's dashboard: what the moderation step decided, day by day and label by label.
import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';
import { idList } from './ids.js';

export interface DayCounts {
  /** Days since 1970-01-01 (UTC). */
  day: number;
  total: number;
  published: number;
  pending: number;
  rejected: number;
}

/** Comments a day by the moderation step's decision, and comments flagged per label, since a time, on these sites (null: every site). */
export async function decisionStats(db: Kysely<Database>, siteIds: string[] | null, since: number, labels: readonly string[]) {
  let base = db.selectFrom('comments').where('created_at', '>=', since);
  if (siteIds) base = base.where('site_id', 'in', idList(siteIds));
  const dayExpr = sql<number>`created_at / 86400000`;
  const [days, flagged] = await Promise.all([
    base
      .select([dayExpr.as('day'), 'auto_status'])
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .groupBy([dayExpr, 'auto_status'])
      .execute(),
    base
      .select((eb) =>
        labels.map((label) =>
          eb.fn
            .sum<number>(eb.case().when('flagged_labels', 'like', `%,${label},%`).then(1).else(0).end())
            .as(label),
        ),
      )
      .executeTakeFirstOrThrow(),
  ]);
  const byDay = new Map<number, DayCounts>();
  for (const row of days) {
    const day = Math.floor(Number(row.day));
    const counts = byDay.get(day) ?? { day, total: 0, published: 0, pending: 0, rejected: 0 };
    counts[row.auto_status] += Number(row.n);
    counts.total += Number(row.n);
    byDay.set(day, counts);
  }
  const perLabel = Object.fromEntries(labels.map((l) => [l, Number((flagged as Record<string, unknown>)[l] ?? 0)]));
  return { days: [...byDay.values()].sort((a, b) => a.day - b.day), perLabel };
}
