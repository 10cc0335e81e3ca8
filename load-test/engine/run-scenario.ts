import type { LoadData } from '../data/load-data.js';
import { assistantFlow } from '../flows/assistant.js';
import type { Flow, FlowContext } from '../flows/flow.js';
import { menuFlow } from '../flows/menu.js';
import { mixedFlow } from '../flows/mixed.js';
import { ordersFlow } from '../flows/orders.js';
import { soakFlow } from '../flows/soak.js';
import { subscriptionsFlow } from '../flows/subscriptions.js';
import { peakUsers, type ScenarioDefinition, type ScenarioName } from '../scenarios.js';
import { LoadClient } from './client.js';
import { runStages, type StageMark, stageMarks } from './executor.js';
import { RateLimitLog } from './rate-limits.js';
import { type Percentiles, Recorder, type SecondPoint } from './recorder.js';
import { type ServerPoint, sampleServer } from './server-metrics.js';
import { cacheHitRate, judge, type ThresholdResult } from './verdict.js';

/** Everything measured in one scenario: the raw JSON export and what the HTML report draws. */
export interface ScenarioResult {
  name: ScenarioName;
  title: string;
  stages: StageMark[];
  durationS: number;
  requests: number;
  errors: number;
  errorRate: number;
  requestsPerSecond: number;
  latencyMs: Percentiles;
  deliveryMs?: Percentiles;
  cacheHitRate?: number;
  errorsByCode: Record<string, number>;
  errorsByOperation: Record<string, number>;
  counters: Record<string, number>;
  checks: Record<string, { passed: number; failed: number }>;
  timeline: SecondPoint[];
  server: { points: ServerPoint[]; unavailable?: string };
  thresholds: ThresholdResult[];
  /** Which rate limits refused requests and the variable that raises each. */
  rateLimitAdvice: string[];
  /** Why the scenario could not run (set up failed), when it could not. */
  failure?: string;
  passed: boolean;
}

const flows: Record<ScenarioName, (context: FlowContext, definition: ScenarioDefinition) => Flow> = {
  orders: ordersFlow,
  assistant: assistantFlow,
  menu: menuFlow,
  mixed: mixedFlow,
  subscriptions: (context, definition) => subscriptionsFlow(context, peakUsers(definition.stages)),
  soak: soakFlow,
};

export interface ScenarioRun {
  url: string;
  data: LoadData;
  short: boolean;
  /** A full GC in the server and its heap afterwards, when the runner started the server. */
  heapAfterGc?: () => Promise<{ heapUsed: number } | undefined>;
}

/** Runs one scenario's stages against `run.url` and judges its thresholds. */
export async function runScenario(definition: ScenarioDefinition, run: ScenarioRun): Promise<ScenarioResult> {
  const stages = run.short ? definition.shortStages : definition.stages;
  const recorder = new Recorder();
  const rateLimits = new RateLimitLog();
  const context: FlowContext = { url: run.url, client: new LoadClient(run.url, recorder, rateLimits), recorder, data: run.data };
  const flow = flows[definition.name](context, { ...definition, stages });
  const soak = definition.name === 'soak';
  // The soak forces a full GC in the server at each sample: not more than once a second.
  const intervalMs = soak ? (run.short ? 1_000 : 5_000) : run.short ? 250 : 1_000;
  const sampler = sampleServer(run.url, intervalMs, () => recorder.elapsedS(), soak ? run.heapAfterGc : undefined);
  let failure: string | undefined;
  try {
    await flow.setup?.();
    await runStages({ stages, thinkTimeMs: definition.thinkTimeMs, recorder, startUser: flow.startUser });
    await flow.finish?.();
  } catch (error) {
    failure = error instanceof Error ? error.message : String(error);
  }
  const server = await sampler.stop();
  const durationS = Math.round(recorder.elapsedS() * 10) / 10;
  const latencyMs = recorder.latency();
  const deliveryMs = recorder.trendOf('delivery');
  const errorRate = recorder.requests ? recorder.errors / recorder.requests : 0;
  const thresholds = judge({ ...definition, stages }, recorder, {
    latency: latencyMs,
    errorRate,
    ...(deliveryMs ? { delivery: deliveryMs } : {}),
    points: server.points,
    rampEndS: stages[0]?.durationS ?? 0,
  });
  const hitRate = cacheHitRate(recorder);
  return {
    name: definition.name,
    title: definition.title,
    stages: stageMarks(stages),
    durationS,
    requests: recorder.requests,
    errors: recorder.errors,
    errorRate: Math.round(errorRate * 10_000) / 10_000,
    requestsPerSecond: Math.round((recorder.requests / Math.max(durationS, 0.1)) * 10) / 10,
    latencyMs,
    ...(deliveryMs ? { deliveryMs } : {}),
    ...(hitRate !== undefined ? { cacheHitRate: Math.round(hitRate * 1000) / 1000 } : {}),
    errorsByCode: recorder.errorsByCode,
    errorsByOperation: recorder.errorsByOperation,
    counters: recorder.counters,
    checks: recorder.checks,
    timeline: recorder.timeline(),
    server,
    thresholds,
    rateLimitAdvice: rateLimits.explanations(),
    ...(failure ? { failure } : {}),
    passed: !failure && thresholds.every((threshold) => threshold.passed),
  };
}
