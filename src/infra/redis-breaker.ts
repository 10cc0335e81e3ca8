import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';

export type RedisBreakerState = 'closed' | 'open' | 'half_open';

/**
 * A Redis that hangs with its connection open costs every command the full time-out: this many
 * time-outs within `windowMs` cut it off for `openMs`, then one probe decides whether it is back.
 */
export const redisBreakerPolicy = { timeouts: 3, windowMs: 1_000, openMs: 1_500 };

/** What a command refused by the breaker rejects with; callers treat it like any Redis failure. */
export class RedisBreakerOpenError extends Error {
  constructor() {
    super('Redis is not answering: its circuit breaker is open, so the command was not sent');
    this.name = 'RedisBreakerOpenError';
  }
}

export interface RedisBreaker {
  readonly state: RedisBreakerState;
  /**
   * Whether a command may go to Redis now. If so its `reply` is watched: time-outs count towards
   * opening, and in half-open the probe's reply closes the breaker or opens it again. `batch` is a
   * pipeline's identity: ioredis writes a pipeline only once all its commands are queued, so the
   * probe's pipeline is admitted whole, never in part.
   */
  admit(reply: Promise<unknown>, batch?: object): boolean;
}

const stateValue: Record<RedisBreakerState, number> = { closed: 0, half_open: 1, open: 2 };
/** ioredis' error for a command that got no reply within its `commandTimeout`. */
const isTimeout = (error: unknown) => error instanceof Error && error.message === 'Command timed out';

/**
 * Not opossum (external-services.ts), which would fit the command path (it calls the action at once)
 * but not the policy: its trip rule is a failure percentage over a rolling window, so after busy
 * seconds it opens only once they roll out, where a hang shows as a few time-outs in a row; and its
 * half-open admits one call, which would split an ioredis pipeline (see `admit`) and leave the
 * client waiting for replies to commands never sent. It would also cost a promise and several
 * events per Redis command.
 */
export function createRedisBreaker(deps: { metrics: Metrics; logger: Logger }, policy = redisBreakerPolicy): RedisBreaker {
  const log = deps.logger.child({ component: 'redis' });
  let state: RedisBreakerState = 'closed';
  let recentTimeouts: number[] = [];
  let probe: { batch: object | undefined } | null = null;

  const enter = (next: RedisBreakerState) => {
    const previous = state;
    state = next;
    probe = null;
    recentTimeouts = [];
    deps.metrics.increment('redis.breaker.transitions', 1, { state: next });
    if (next === 'open') setTimeout(() => enter('half_open'), policy.openMs).unref();
    // Warn when an outage starts and ends; a failed probe only re-opens, and the counter has it.
    if (next === 'open' && previous === 'closed') {
      log.warn({ breaker: 'redis', state: next }, `Redis breaker is open: ${policy.timeouts} commands timed out, commands fail at once`);
    } else if (next === 'closed') {
      log.warn({ breaker: 'redis', state: next }, 'Redis breaker is closed: Redis answers again');
    }
  };
  deps.metrics.gauge('redis.breaker.state', () => stateValue[state]);

  const watch = (reply: Promise<unknown>, isProbe: boolean) => {
    const settled = (timedOut: boolean) => {
      if (isProbe && state === 'half_open') enter(timedOut ? 'open' : 'closed');
      if (!timedOut || state !== 'closed') return;
      const now = Date.now();
      recentTimeouts = [...recentTimeouts.filter((at) => at > now - policy.windowMs), now];
      if (recentTimeouts.length >= policy.timeouts) enter('open');
    };
    reply.then(
      () => settled(false),
      (error: unknown) => settled(isTimeout(error)),
    );
  };

  return {
    get state() {
      return state;
    },
    admit(reply, batch) {
      if (state === 'closed') {
        watch(reply, false);
        return true;
      }
      if (state === 'open') return false;
      const isProbe = probe === null || (batch !== undefined && batch === probe.batch);
      if (!isProbe) return false;
      probe ??= { batch };
      watch(reply, true);
      return true;
    },
  };
}
