import { Prisma } from '../../generated/prisma/client.js';
import type { Db } from '../../infra/db.js';

/** One member's time in one day or week; `periodStart` is the local first day, YYYY-MM-DD. */
export interface HoursWorkedRow {
  userId: string;
  periodStart: string;
  minutes: number;
}

export interface HoursWorkedQuery {
  restaurantId: string;
  from: Date;
  to: Date;
  groupBy: 'DAY' | 'WEEK';
  /** Only this member; null for everyone. */
  userId: string | null;
  /** Where open shifts end for the sum. */
  now: Date;
}

/**
 * Minutes worked per member and local day (or ISO week) in one SQL aggregate. Each shift is clipped
 * to [from, to) (an open one ends at `now`), then cut at the period boundaries of the restaurant's
 * time zone. Boundaries are converted to instants before subtracting, so a 23- or 25-hour day at a
 * DST change still counts real elapsed time. Columns are `timestamp` holding UTC, hence the
 * `AT TIME ZONE 'UTC'` on the way in; nothing depends on the session's time zone.
 */
export function queryHoursWorked(prisma: Db, query: HoursWorkedQuery): Promise<HoursWorkedRow[]> {
  const unit = query.groupBy === 'WEEK' ? 'week' : 'day';
  const step = `1 ${unit}`;
  const onlyUser = query.userId ? Prisma.sql`AND e."userId" = ${query.userId}` : Prisma.empty;
  return prisma.$queryRaw<HoursWorkedRow[]>`
    WITH params AS (
      SELECT r.timezone AS tz,
             ${query.from.toISOString()}::timestamptz AS lo,
             ${query.to.toISOString()}::timestamptz AS hi,
             ${query.now.toISOString()}::timestamptz AS now
      FROM "Restaurant" r
      WHERE r.id = ${query.restaurantId}
    ),
    shifts AS (
      SELECT e."userId" AS user_id,
             p.tz,
             greatest(e."clockInAt" AT TIME ZONE 'UTC', p.lo) AS started,
             least(coalesce(e."clockOutAt" AT TIME ZONE 'UTC', p.now), p.hi) AS ended
      FROM "TimeEntry" e
      CROSS JOIN params p
      WHERE e."restaurantId" = ${query.restaurantId}
        AND e."clockInAt" < (p.hi AT TIME ZONE 'UTC')
        AND (e."clockOutAt" IS NULL OR e."clockOutAt" > (p.lo AT TIME ZONE 'UTC'))
        ${onlyUser}
    ),
    pieces AS (
      SELECT s.user_id,
             period,
             least(s.ended, (period + ${step}::interval) AT TIME ZONE s.tz)
               - greatest(s.started, period AT TIME ZONE s.tz) AS worked
      FROM shifts s
      CROSS JOIN LATERAL generate_series(
        date_trunc(${unit}::text, s.started AT TIME ZONE s.tz),
        date_trunc(${unit}::text, s.ended AT TIME ZONE s.tz),
        ${step}::interval
      ) AS period
      WHERE s.ended > s.started
    )
    SELECT user_id AS "userId",
           to_char(period, 'YYYY-MM-DD') AS "periodStart",
           floor(extract(epoch FROM sum(worked)) / 60)::int AS minutes
    FROM pieces
    GROUP BY user_id, period
    HAVING sum(worked) > interval '0'
    ORDER BY period, user_id`;
}
