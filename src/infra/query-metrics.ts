import type { Database } from './db.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';

/** How much of a slow statement the log keeps: enough to recognise it, never its parameters. */
const statementPreview = 200;

/**
 * Times every SQL statement Prisma sends, and counts and logs (at warn) those slower than
 * `slowQueryMs`. Only the statement text is logged, cut to 200 characters: parameter values
 * (customer names, phone numbers) never reach the log. Returns the unsubscribe function.
 */
export function watchQueries(db: Database, deps: { metrics: Metrics; logger: Logger; slowQueryMs: number }): () => void {
  const log = deps.logger.child({ component: 'db' });
  return db.onQuery(({ query, durationMs }) => {
    deps.metrics.timing('db.query.duration', durationMs);
    if (durationMs < deps.slowQueryMs) return;
    deps.metrics.increment('db.slow_queries');
    log.warn({ durationMs, statement: query.slice(0, statementPreview) }, 'slow query');
  });
}
