import type { Json } from './test-server.js';

export interface TimedAnswer<Kind extends string, Phase extends string> {
  kind: Kind;
  ms: number;
  status: number;
  body: Json;
  /** The phase of the test when the request was sent. */
  during: Phase;
}

/**
 * Records every answer of a traffic loop with its latency and the test's phase when it was sent
 * (a request that fails at the transport is status 0), for the outage suites' per-phase assertions.
 */
export function timedAnswers<Kind extends string, Phase extends string>(firstPhase: Phase) {
  let during = firstPhase;
  const answers: Array<TimedAnswer<Kind, Phase>> = [];
  const ofPhase = (phase: Phase) => answers.filter((answer) => answer.during === phase);
  return {
    answers,
    enter(phase: Phase) {
      during = phase;
    },
    async timed(kind: Kind, send: () => Promise<{ status: number; body: Json }>) {
      const phase = during;
      const started = performance.now();
      const { status, body } = await send().catch((error: unknown) => ({ status: 0, body: { transportError: String(error) } }));
      answers.push({ kind, ms: performance.now() - started, status, body, during: phase });
    },
    count: (phase: Phase) => ofPhase(phase).length,
    latencies: (phase: Phase) => ofPhase(phase).map((answer) => answer.ms),
  };
}
