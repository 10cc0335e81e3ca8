import twilio from 'twilio';

type RequestOptions = Parameters<InstanceType<typeof twilio.RequestClient>['request']>[0];

/**
 * Sends the REST API's requests (api.twilio.com, after the client's edge/region rewriting) to
 * `baseUrl` instead, keeping path and query. twilio-node has no base-URL option; its maintainers'
 * answer is a custom `httpClient` (twilio/twilio-node#326). Setting `client.api.baseUrl` instead
 * would still pass the URL through `getHostname()`, which rebuilds hostnames of more than three
 * labels and rewrites any host when TWILIO_EDGE or TWILIO_REGION is set in the environment.
 */
class TwilioRequestClient extends twilio.RequestClient {
  constructor(
    private readonly baseUrl: string | undefined,
    options: ConstructorParameters<typeof twilio.RequestClient>[0],
  ) {
    super(options);
  }

  override request<TData>(options: RequestOptions & { data?: TData }) {
    const uri = new URL(options.uri);
    if (!this.baseUrl || uri.hostname.split('.')[0] !== 'api') return super.request<TData>(options);
    return super.request<TData>({ ...options, uri: `${this.baseUrl}${uri.pathname}${uri.search}` });
  }
}

export interface TwilioClientOptions {
  accountSid: string;
  authToken: string;
  /** TWILIO_API_BASE_URL: the REST API root (a regional gateway, a test double); default https://api.twilio.com. */
  apiBaseUrl?: string | undefined;
  /** Abandon a request after this long (TWILIO_TIMEOUT_MS). */
  timeoutMs: number;
}

/**
 * The official client, with our own RequestClient so that `apiBaseUrl` is honoured. The timeout is
 * the RequestClient's: `messages.create()` takes no AbortSignal, and a client given an
 * `httpClient` ignores its own `timeout` and `autoRetry` options. Retries stay off: the circuit
 * breaker is the policy, and twilio's 429 retries would hide the calls from it.
 */
export function createTwilioClient(options: TwilioClientOptions): twilio.Twilio {
  const httpClient = new TwilioRequestClient(options.apiBaseUrl, { timeout: options.timeoutMs, autoRetry: false });
  return new twilio.Twilio(options.accountSid, options.authToken, { httpClient });
}

/**
 * Whether a failed Twilio call is Twilio's problem: a 5xx or 429 answer, or no answer at all (a
 * connection error, a timeout, an abort). A 4xx (a bad number, bad credentials) is ours to fix
 * and must not open the breaker for everyone else.
 */
export function isTwilioOutage(error: unknown): boolean {
  const failure = error as { status?: unknown; isAxiosError?: unknown; response?: unknown; name?: unknown } | null;
  if (typeof failure?.status === 'number') return failure.status >= 500 || failure.status === 429;
  if (failure?.isAxiosError === true) return failure.response === undefined;
  return failure?.name === 'TimeoutError' || failure?.name === 'AbortError';
}
