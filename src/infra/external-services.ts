import CircuitBreaker from 'opossum';
import PQueue from 'p-queue';
import type { Config } from '../config.js';
import { ServiceUnavailableError } from '../errors.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';

export interface ExternalServiceLimits {
  /** Calls in flight at once; more wait in line. */
  concurrency: number;
  /** Calls started per minute; more wait in line. */
  perMinute: number;
  /** Each call's signal aborts after this long (the wait in line not counted). */
  timeoutMs: number;
  /**
   * Whether a failure is the provider's (an outage, a timeout, a 5xx or 429) rather than ours (a
   * 400 for a bad request): only outages count towards opening the breaker. Default: every failure.
   */
  isOutage?: (error: unknown) => boolean;
}

export interface ExternalService {
  readonly name: string;
  /**
   * Runs `work` within the service's limits, passing the signal that aborts it at its timeout.
   * While the breaker is open it rejects at once with SERVICE_UNAVAILABLE, without calling out.
   */
  call<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T>;
}

export type BreakerState = 'closed' | 'half_open' | 'open';

export interface BreakerStatus {
  name: string;
  state: BreakerState;
  /** Counts over the breaker's rolling window (CIRCUIT_BREAKER_WINDOW_MS). */
  window: { calls: number; successes: number; failures: number; rejects: number; timeouts: number };
  /** Calls waiting for their turn under the concurrency and per-minute limits. */
  queued: number;
}

/** Every external provider the process calls, each behind its own breaker and limits. */
export interface ExternalServices {
  /** Creates the named service; names are unique per process (they label metrics and alerts). */
  register(name: string, limits: ExternalServiceLimits): ExternalService;
  statuses(): BreakerStatus[];
  /** Names of the breakers open now. */
  open(): string[];
  shutdown(): void;
}

const stateValue: Record<BreakerState, number> = { closed: 0, half_open: 1, open: 2 };

/**
 * opossum breakers and p-queue limits around calls to providers we don't run. A provider that keeps
 * failing is cut off for CIRCUIT_BREAKER_RESET_MS, so callers fail in a millisecond instead of
 * waiting out its timeouts, then one trial call (half-open) decides whether it is back. State
 * changes are logged and counted; the state is a gauge and feeds the circuit-breaker alert.
 */
export function createExternalServices(config: Config['circuitBreaker'], deps: { metrics: Metrics; logger: Logger }): ExternalServices {
  const log = deps.logger.child({ component: 'external-services' });
  const entries = new Map<string, { breaker: CircuitBreaker; queue: PQueue; openedAt: number }>();
  const stateOf = (breaker: CircuitBreaker): BreakerState => (breaker.opened ? 'open' : breaker.halfOpen ? 'half_open' : 'closed');

  deps.metrics.gauge('circuit_breaker.state', () =>
    [...entries].map(([name, { breaker }]) => ({ labels: { breaker: name }, value: stateValue[stateOf(breaker)] })),
  );

  return {
    register(name, limits) {
      if (entries.has(name)) throw new Error(`External service "${name}" is already registered.`);
      const isOutage = limits.isOutage ?? (() => true);
      const queue = new PQueue({ concurrency: limits.concurrency, intervalCap: limits.perMinute, interval: 60_000 });
      const breaker = new CircuitBreaker((work: () => Promise<unknown>) => work(), {
        name,
        // The timeout is the call's own abort signal, so a timed-out request is really cancelled.
        timeout: false,
        errorThresholdPercentage: config.errorThresholdPercent,
        volumeThreshold: config.volumeThreshold,
        resetTimeout: config.resetTimeoutMs,
        rollingCountTimeout: config.windowMs,
        // A filtered error is passed to the caller without counting as a failure.
        errorFilter: (error: unknown) => !isOutage(error),
      });
      const entry = { breaker, queue, openedAt: 0 };
      entries.set(name, entry);

      const transition = (state: BreakerState) => () => {
        if (state === 'open') entry.openedAt = Date.now();
        deps.metrics.increment('circuit_breaker.transitions', 1, { breaker: name, state });
        log[state === 'open' ? 'warn' : 'info']({ breaker: name, state }, `circuit breaker ${name} is ${state.replace('_', '-')}`);
      };
      breaker.on('open', transition('open'));
      breaker.on('halfOpen', transition('half_open'));
      breaker.on('close', transition('closed'));

      return {
        name,
        async call<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
          const started = performance.now();
          const record = (outcome: string) =>
            deps.metrics.timing('external.call.duration', performance.now() - started, { service: name, outcome });
          try {
            const result = (await breaker.fire(() => queue.add(() => work(AbortSignal.timeout(limits.timeoutMs))))) as T;
            record('success');
            return result;
          } catch (error) {
            if ((error as { code?: string }).code !== 'EOPENBREAKER') {
              record('failure');
              throw error;
            }
            record('rejected');
            const retryAfter = Math.max(1, Math.ceil((entry.openedAt + config.resetTimeoutMs - Date.now()) / 1000));
            throw new ServiceUnavailableError(name, `${name} is unavailable for now: its circuit breaker is open.`, retryAfter);
          }
        },
      };
    },
    statuses: () =>
      [...entries].map(([name, { breaker, queue }]) => {
        const stats = breaker.stats;
        return {
          name,
          state: stateOf(breaker),
          window: {
            calls: stats.fires,
            successes: stats.successes,
            failures: stats.failures,
            rejects: stats.rejects,
            timeouts: stats.timeouts,
          },
          queued: queue.size,
        };
      }),
    open: () => [...entries].filter(([, { breaker }]) => breaker.opened).map(([name]) => name),
    shutdown() {
      for (const { breaker, queue } of entries.values()) {
        breaker.shutdown();
        queue.clear();
      }
    },
  };
}
