import type { Limit, RateLimitLog } from './rate-limits.js';
import type { Recorder } from './recorder.js';

// biome-ignore lint/suspicious/noExplicitAny: the flows read a field or two of known answers.
export type Data = Record<string, any>;

export interface Call {
  /** The operation, as reported (`createOrder`). */
  name: string;
  query: string;
  variables?: Record<string, unknown>;
  token?: string;
  /** The field-level rate limit this operation counts against (anonymous calls also meet ANONYMOUS_HTTP first). */
  limit: Limit;
}

export interface Answer {
  /** A 200 without GraphQL errors. */
  ok: boolean;
  data: Data | null;
  headers: Headers;
  /** When the request was sent (performance.now()). */
  sentAt: number;
  code?: string;
}

interface Body {
  data?: Data | null;
  errors?: Array<{ path?: unknown[]; extensions?: { code?: string } }>;
}

/** A request that gets no answer in this long counts as a TIMEOUT error. */
const requestTimeoutMs = 10_000;

/**
 * GraphQL over HTTP for virtual users: times every request into the recorder and classifies it
 * (the error's `extensions.code`, `HTTP_<status>`, or the network error), noting rate limits hit.
 */
export class LoadClient {
  constructor(
    readonly url: string,
    private readonly recorder: Recorder,
    private readonly rateLimits: RateLimitLog,
  ) {}

  async graphql(call: Call): Promise<Answer> {
    const sentAt = performance.now();
    let status = 0;
    let body: Body = {};
    let headers = new Headers();
    try {
      const response = await fetch(`${this.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(call.token ? { authorization: `Bearer ${call.token}` } : {}) },
        body: JSON.stringify({ query: call.query, variables: call.variables ?? {} }),
        signal: AbortSignal.timeout(requestTimeoutMs),
      });
      status = response.status;
      headers = response.headers;
      body = (await response.json().catch(() => ({}))) as Body;
    } catch (error) {
      const code = networkErrorCode(error);
      this.recorder.request(performance.now() - sentAt, call.name, code);
      return { ok: false, data: null, headers, sentAt, code };
    }
    const ok = status === 200 && !body.errors?.length;
    const code = ok ? undefined : (body.errors?.[0]?.extensions?.code ?? `HTTP_${status}`);
    this.recorder.request(performance.now() - sentAt, call.name, code);
    // A field's limit answers with the field's path; the per-address HTTP limit refuses before GraphQL runs.
    if (code === 'RATE_LIMITED') this.rateLimits.add(body.errors?.[0]?.path ? call.limit : 'ANONYMOUS_HTTP', call.name);
    return { ok, data: body.data ?? null, headers, sentAt, ...(code ? { code } : {}) };
  }
}

function networkErrorCode(error: unknown): string {
  if (error instanceof DOMException && error.name === 'TimeoutError') return 'TIMEOUT';
  const cause = (error as { cause?: { code?: unknown } }).cause;
  return typeof cause?.code === 'string' ? cause.code : 'NO_RESPONSE';
}
