/**
 * Every scenario's load profile and thresholds, declared in one place and in k6's vocabulary
 * (ramping-vus stages: `{ duration, target }`; thresholds on p95, error rate and custom rates), so
 * a port to k6 is a transcription. What a virtual user does is in `flows/`; how stages are driven
 * is `engine/executor.ts`.
 */

/** Ramp linearly to `target` virtual users over `durationS` seconds (k6: `{ duration: '30s', target: 200 }`). */
export interface Stage {
  durationS: number;
  target: number;
  /** Shown on the charts at the stage's start. */
  label: string;
}

export interface Thresholds {
  /** Every request's latency, p95 below this (k6: `http_req_duration: ['p(95)<500']`). */
  p95Ms: number;
  /** Failed requests (any non-200, GraphQL error or no answer) below this share (k6: `http_req_failed: ['rate<0.01']`). */
  errorRate: number;
  /** Response-cache hits / (hits + misses) above this. */
  cacheHitRate?: number;
  /** Subscription events, from the mutation's answer to the event's arrival, p95 below this. */
  deliveryP95Ms?: number;
  /** Subscription events that never arrived: at most this many. */
  lostEvents?: number;
  /** Server heap after GC, growth from the first to the last quarter of the run, below this share. */
  heapGrowth?: number;
}

export type ScenarioName = 'orders' | 'assistant' | 'menu' | 'mixed' | 'subscriptions' | 'soak';

export interface ScenarioDefinition {
  name: ScenarioName;
  title: string;
  /** The full profile, for `npm run load` on a real machine. */
  stages: Stage[];
  /** A bounded profile of a few seconds, for CI (`--short`). */
  shortStages: Stage[];
  /** A virtual user's pause between two requests (k6: `sleep()`), so each user's pace stays human. */
  thinkTimeMs: number;
  thresholds: Thresholds;
}

const stage = (durationS: number, target: number, label: string): Stage => ({ durationS, target, label });

export const scenarios: Record<ScenarioName, ScenarioDefinition> = {
  orders: {
    name: 'orders',
    title: 'Order creation: sign in, create with an idempotency key, read back, move through statuses',
    stages: [
      stage(30, 50, 'ramp'),
      stage(30, 200, 'ramp to 200'),
      stage(120, 200, 'sustain 200'),
      stage(10, 300, 'spike'),
      stage(30, 300, 'spike hold'),
      stage(10, 200, 'recover'),
      stage(20, 0, 'ramp down'),
    ],
    shortStages: [stage(2, 6, 'ramp'), stage(8, 6, 'sustain'), stage(1, 10, 'spike'), stage(1, 0, 'ramp down')],
    // One user's requests stay under the default API limit (60 a minute per user).
    thinkTimeMs: 1_500,
    thresholds: { p95Ms: 500, errorRate: 0.01 },
  },
  assistant: {
    name: 'assistant',
    title: 'Assistant: managers asking natural-language questions (fake OpenAI, 300 ms a completion)',
    stages: [stage(10, 30, 'ramp to 30'), stage(50, 30, 'sustain 30')],
    shortStages: [stage(1, 6, 'ramp'), stage(3, 6, 'sustain')],
    thinkTimeMs: 0,
    thresholds: { p95Ms: 2_000, errorRate: 0.05 },
  },
  menu: {
    name: 'menu',
    title: 'Public menu: anonymous guests reading a restaurant menu',
    stages: [stage(10, 50, 'ramp to 50'), stage(40, 50, 'sustain 50')],
    shortStages: [stage(1, 8, 'ramp'), stage(2, 8, 'sustain')],
    thinkTimeMs: 0,
    thresholds: { p95Ms: 500, errorRate: 0.01, cacheHitRate: 0.7 },
  },
  mixed: {
    name: 'mixed',
    title: 'Mixed reads: menus, the signed-in user, stock and analytics',
    stages: [stage(10, 20, 'ramp to 20'), stage(40, 20, 'sustain 20')],
    shortStages: [stage(1, 6, 'ramp'), stage(2, 6, 'sustain')],
    thinkTimeMs: 0,
    thresholds: { p95Ms: 500, errorRate: 0.01, cacheHitRate: 0.7 },
  },
  subscriptions: {
    name: 'subscriptions',
    title: 'Subscriptions: graphql-ws clients on orderUpdated while staff create orders',
    stages: [stage(10, 50, 'ramp to 50 writers'), stage(50, 50, 'sustain')],
    shortStages: [stage(1, 4, 'ramp'), stage(3, 4, 'sustain')],
    thinkTimeMs: 1_500,
    thresholds: { p95Ms: 500, errorRate: 0.01, deliveryP95Ms: 500, lostEvents: 0 },
  },
  soak: {
    name: 'soak',
    title: 'Soak: moderate order and read traffic for a bounded time, watching server memory',
    stages: [stage(30, 60, 'ramp to 60'), stage(570, 60, 'sustain 60')],
    shortStages: [stage(1, 6, 'ramp'), stage(10, 6, 'sustain')],
    thinkTimeMs: 1_500,
    thresholds: { p95Ms: 500, errorRate: 0.01, heapGrowth: 0.25 },
  },
};

/** The most virtual users a profile reaches. */
export function peakUsers(stages: Stage[]): number {
  return Math.max(0, ...stages.map((entry) => entry.target));
}
