import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { AlertNotification } from '../src/alerts/alert-manager.js';
import { createSmsNotifier, maskPhoneNumber, toSmsText } from '../src/alerts/sms-notifier.js';
import { createTwilioClient, isTwilioOutage } from '../src/alerts/twilio-client.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { ServiceUnavailableError } from '../src/errors.js';
import type { ExternalService } from '../src/infra/external-services.js';
import { type FakeTwilio, invalidNumber, startFakeTwilio } from './testkit/fake-twilio.js';
import { type Json, startTestServer, type TestServer } from './testkit/test-server.js';
import { thrownBy } from './testkit/thrown.js';

const from = '+15005550006';
const oncall = ['+15551230001', '+15551230002'];

/** Every operational rule out of reach; a test opens the one it needs. */
const quietRules = {
  ALERT_P95_MS: '100000',
  ALERT_ERROR_RATE: '1',
  ALERT_POOL_SATURATION: '1',
  ALERT_CACHE_HIT_RATE_MIN: '0',
  ALERT_HEAP_RATIO: '1',
};

const critical: Omit<AlertNotification, 'at'> = {
  status: 'firing',
  name: 'circuit_breaker_open',
  title: 'Open circuit breakers',
  severity: 'critical',
  summary: 'Open circuit breakers is 1 (above 0)',
  details: {},
};

let cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

async function aFakeTwilio(): Promise<FakeTwilio> {
  const fake = await startFakeTwilio();
  cleanups.push(() => fake.close());
  return fake;
}

/** The real server texting `to` through `fake`, with the rules quiet unless `env` says otherwise. */
async function aServer(fake: FakeTwilio, to: readonly string[], env: Record<string, string> = {}): Promise<TestServer> {
  const server = await startTestServer({
    ...quietRules,
    TWILIO_ACCOUNT_SID: fake.accountSid,
    TWILIO_AUTH_TOKEN: fake.authToken,
    TWILIO_FROM: from,
    ALERT_SMS_TO: to.join(','),
    TWILIO_API_BASE_URL: fake.url,
    ...env,
  });
  cleanups.push(() => server.close());
  return server;
}

const twilioBreaker = (server: TestServer) => server.infra.externalServices.statuses().find((status) => status.name === 'twilio');

describe('SMS alerts through the real server and a fake Twilio', () => {
  it('texts each on-call number when a critical alert fires and when it resolves, and never for a warning', async () => {
    const fake = await aFakeTwilio();
    // Any error fires the critical error-rate rule; any operation fires the p95 warning.
    const server = await aServer(fake, oncall, { ALERT_ERROR_RATE: '0', ALERT_P95_MS: '0' });

    await server.graphql('{ noSuchField }');
    const fired = await server.infra.alerts.evaluate();
    expect(fired.map((notification) => [notification.name, notification.severity])).toEqual([
      ['p95_latency', 'warning'],
      ['error_rate', 'critical'],
    ]);
    expect(fake.messages).toEqual([
      {
        sid: expect.stringMatching(/^SM[0-9a-f]{32}$/),
        accountSid: fake.accountSid,
        from,
        to: oncall[0],
        body: '[CRITICAL] GraphQL error rate is 100% (above 0%)',
      },
      {
        sid: expect.stringMatching(/^SM[0-9a-f]{32}$/),
        accountSid: fake.accountSid,
        from,
        to: oncall[1],
        body: '[CRITICAL] GraphQL error rate is 100% (above 0%)',
      },
    ]);
    // Authenticated (a wrong AccountSid:AuthToken is a 401), on Twilio's own path.
    expect(fake.requests).toEqual([
      { method: 'POST', path: `/2010-04-01/Accounts/${fake.accountSid}/Messages.json`, status: 201 },
      { method: 'POST', path: `/2010-04-01/Accounts/${fake.accountSid}/Messages.json`, status: 201 },
    ]);

    await server.graphql('query Ok { __typename }');
    const resolved = await server.infra.alerts.evaluate();
    expect(resolved.map((notification) => [notification.name, notification.status])).toEqual([['error_rate', 'resolved']]);
    expect(fake.messages.slice(2).map(({ to, body }) => ({ to, body }))).toEqual(
      oncall.map((to) => ({ to, body: '[RESOLVED] GraphQL error rate is 0% (no longer above 0%)' })),
    );

    await server.infra.alerts.announce({
      ...critical,
      name: 'disk',
      title: 'Disk',
      severity: 'warning',
      summary: 'Disk is 91% (above 90%)',
    });
    await server.infra.alerts.announce({
      status: 'info',
      name: 'low_stock',
      title: 'Low stock',
      severity: 'info',
      summary: 'Low',
      details: {},
    });
    expect(fake.requests).toHaveLength(4);
  });

  it('opens the twilio breaker after repeated 5xx: later alerts never reach Twilio, and metrics and health say so', async () => {
    const fake = await aFakeTwilio();
    const server = await aServer(fake, oncall, { CIRCUIT_BREAKER_VOLUME: '2', CIRCUIT_BREAKER_RESET_MS: '600000' });
    fake.failNext(100, 503);

    await server.infra.alerts.announce(critical);
    expect(fake.requests.map((request) => request.status)).toEqual([503, 503]);
    expect(twilioBreaker(server)).toMatchObject({ state: 'open', window: { failures: 2 } });

    await server.infra.alerts.announce(critical);
    // The open breaker is itself a critical alert; its text is refused by the same breaker.
    const fired = await server.infra.alerts.evaluate();
    expect(fired).toEqual([
      expect.objectContaining({ name: 'circuit_breaker_open', details: expect.objectContaining({ breakers: 'twilio' }) }),
    ]);
    expect(fake.requests).toHaveLength(2);
    expect(twilioBreaker(server)?.window.rejects).toBe(4);

    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toContain('servio_circuit_breaker_state{breaker="twilio"} 2');
    const health: Json = await (await fetch(`${server.url}/health/detailed`)).json();
    expect(health.circuitBreakers).toContainEqual(expect.objectContaining({ name: 'twilio', state: 'open' }));
  });

  it('closes the breaker again once Twilio recovers: the half-open trial text goes through', async () => {
    const fake = await aFakeTwilio();
    // One number: in half-open the breaker lets a single trial call through.
    const server = await aServer(fake, oncall.slice(0, 1), { CIRCUIT_BREAKER_VOLUME: '2', CIRCUIT_BREAKER_RESET_MS: '200' });
    fake.failNext(2, 500);

    await server.infra.alerts.announce(critical);
    await server.infra.alerts.announce(critical);
    expect(twilioBreaker(server)?.state).toBe('open');

    await expect.poll(() => twilioBreaker(server)?.state, { timeout: 5_000, interval: 20 }).toBe('half_open');
    await server.infra.alerts.announce(critical);
    expect(twilioBreaker(server)?.state).toBe('closed');
    await server.infra.alerts.announce({ ...critical, status: 'resolved' });
    expect(fake.requests.map((request) => request.status)).toEqual([500, 500, 201, 201]);
    expect(fake.messages.map((message) => message.body)).toEqual([
      '[CRITICAL] Open circuit breakers is 1 (above 0)',
      '[RESOLVED] Open circuit breakers is 1 (above 0)',
    ]);
  });

  it('does not count a 400 (invalid To, Twilio error 21211) towards opening the breaker', async () => {
    const fake = await aFakeTwilio();
    const server = await aServer(fake, [invalidNumber], { CIRCUIT_BREAKER_VOLUME: '2', CIRCUIT_BREAKER_RESET_MS: '600000' });

    for (let i = 0; i < 3; i++) await server.infra.alerts.announce(critical);
    // Had the 400s counted, the breaker would have opened at the second and kept the third away.
    expect(fake.requests.map((request) => request.status)).toEqual([400, 400, 400]);
    expect(twilioBreaker(server)).toMatchObject({ state: 'closed', window: { failures: 0 } });
  });
});

describe('SMS notifier', () => {
  const aService = (call: ExternalService['call'] = (work) => work(AbortSignal.timeout(5_000))): ExternalService => ({
    name: 'twilio',
    call,
  });

  function aLogger() {
    const lines: Json[] = [];
    return { lines, logger: pino({ level: 'warn' }, { write: (line: string) => void lines.push(JSON.parse(line)) }) };
  }

  it('logs a refused text at warn with the number masked, never the number, the token or the error object', async () => {
    const fake = await aFakeTwilio();
    const { lines, logger } = aLogger();
    const client = createTwilioClient({ accountSid: fake.accountSid, authToken: fake.authToken, apiBaseUrl: fake.url, timeoutMs: 5_000 });
    const notify = createSmsNotifier({ client, service: aService(), from, to: [invalidNumber, oncall[0] as string], logger });

    await notify({ ...critical, at: new Date() });
    expect(fake.messages.map((message) => message.to)).toEqual([oncall[0]]);
    expect(lines).toEqual([
      expect.objectContaining({
        level: 40,
        component: 'alerts',
        alert: 'circuit_breaker_open',
        to: '+*******0001',
        reason: expect.objectContaining({ status: 400, code: 21211, message: "The 'To' number +*******0001 is not a valid phone number." }),
        msg: 'sms alert delivery failed',
      }),
    ]);
    const logged = JSON.stringify(lines);
    for (const secret of [invalidNumber, fake.authToken, Buffer.from(`${fake.accountSid}:${fake.authToken}`).toString('base64')])
      expect(logged).not.toContain(secret);
  });

  it('logs, without throwing, when the breaker is open', async () => {
    const { lines, logger } = aLogger();
    let created = 0;
    const client = { messages: { create: async () => ({ sid: `SM${++created}` }) } };
    const service = aService(async () => {
      throw new ServiceUnavailableError('twilio', 'twilio is unavailable for now: its circuit breaker is open.', 30);
    });
    await createSmsNotifier({ client, service, from, to: oncall, logger })({ ...critical, at: new Date() });
    expect(created).toBe(0);
    expect(lines.map((line) => [line.to, line.reason.code])).toEqual([
      ['+*******0001', 'SERVICE_UNAVAILABLE'],
      ['+*******0002', 'SERVICE_UNAVAILABLE'],
    ]);
  });

  it('stops waiting at the service deadline even if the client does not', async () => {
    const { lines, logger } = aLogger();
    const client = { messages: { create: () => new Promise<{ sid: string }>(() => {}) } };
    const notify = createSmsNotifier({
      client,
      service: aService((work) => work(AbortSignal.timeout(50))),
      from,
      to: oncall.slice(0, 1),
      logger,
    });
    await notify({ ...critical, at: new Date() });
    expect(lines).toEqual([expect.objectContaining({ reason: expect.objectContaining({ name: 'TimeoutError' }) })]);
  });

  it('writes one short line: the label and the summary, cut at 320 characters', () => {
    const at = new Date();
    expect(toSmsText({ ...critical, at })).toBe('[CRITICAL] Open circuit breakers is 1 (above 0)');
    expect(toSmsText({ ...critical, status: 'resolved', at })).toBe('[RESOLVED] Open circuit breakers is 1 (above 0)');
    const long = toSmsText({ ...critical, summary: 'x'.repeat(400), at });
    expect(long).toHaveLength(320);
    expect(long.endsWith('x…')).toBe(true);
    expect(maskPhoneNumber('+1 (555) 123-0001')).toBe('+* (***) ***-0001');
  });
});

describe('twilio client', () => {
  const aClient = (fake: FakeTwilio, overrides: { authToken?: string; timeoutMs?: number; apiBaseUrl?: string } = {}) =>
    createTwilioClient({ accountSid: fake.accountSid, authToken: fake.authToken, apiBaseUrl: fake.url, timeoutMs: 5_000, ...overrides });
  const failureOf = (work: Promise<unknown>) =>
    work.then(
      () => expect.unreachable('the call should fail'),
      (error: unknown) => error,
    );

  it('reaches the base URL even with an edge and region set (no hostname rewriting of 127.0.0.1)', async () => {
    const fake = await aFakeTwilio();
    const client = aClient(fake);
    client.edge = 'sydney';
    client.region = 'au1';
    const message = await client.messages.create({ from, to: oncall[0] as string, body: 'hello' });
    expect(message).toMatchObject({
      sid: fake.messages[0]?.sid,
      status: 'queued',
      to: oncall[0],
      from,
      body: 'hello',
      accountSid: fake.accountSid,
    });
  });

  it('classifies failures: 4xx are ours, 5xx, 429, timeouts and refused connections are outages; no retries', async () => {
    const fake = await aFakeTwilio();
    const send = (client = aClient(fake)) => failureOf(client.messages.create({ from, to: oncall[0] as string, body: 'x' }));

    const unauthorized = await send(aClient(fake, { authToken: 'wrong' }));
    expect(unauthorized).toMatchObject({ status: 401, code: 20003 });
    expect(isTwilioOutage(unauthorized)).toBe(false);
    expect(isTwilioOutage(await failureOf(aClient(fake).messages.create({ from, to: invalidNumber, body: 'x' })))).toBe(false);

    for (const status of [500, 503, 429]) {
      fake.failNext(1, status);
      const error = await send();
      expect(error).toMatchObject({ status });
      expect(isTwilioOutage(error)).toBe(true);
    }
    expect(fake.requests).toHaveLength(5); // the 429 was not retried

    fake.stallNext(1);
    expect(isTwilioOutage(await send(aClient(fake, { timeoutMs: 100 })))).toBe(true);
    expect(isTwilioOutage(await send(aClient(fake, { apiBaseUrl: 'http://127.0.0.1:1' })))).toBe(true);
    expect(isTwilioOutage(new Error('a bug of ours'))).toBe(false);
  });
});

describe('SMS config', () => {
  const twilioEnv = { TWILIO_ACCOUNT_SID: 'AC123', TWILIO_AUTH_TOKEN: 'token', TWILIO_FROM: from, ALERT_SMS_TO: oncall.join(',') };

  it('is off without any Twilio setting, and on with all of them', () => {
    expect(loadConfig({}).alerts.sms).toEqual({ kind: 'off' });
    expect(loadConfig(twilioEnv).alerts.sms).toEqual({
      kind: 'twilio',
      accountSid: 'AC123',
      authToken: 'token',
      from,
      to: oncall,
      apiBaseUrl: undefined,
      limits: { timeoutMs: 10_000, concurrency: 5, perMinute: 50 },
    });
  });

  it('lists the missing settings when only some are set', () => {
    const error = thrownBy(() => loadConfig({ TWILIO_ACCOUNT_SID: 'AC123', ALERT_SMS_TO: oncall[0] }), ConfigError);
    expect(error.problems.map((problem) => problem.split(':')[0])).toEqual(['TWILIO_AUTH_TOKEN', 'TWILIO_FROM']);
    const onlyNumbers = thrownBy(() => loadConfig({ ALERT_SMS_TO: oncall[0] }), ConfigError);
    expect(onlyNumbers.problems.map((problem) => problem.split(':')[0])).toEqual([
      'TWILIO_ACCOUNT_SID',
      'TWILIO_AUTH_TOKEN',
      'TWILIO_FROM',
    ]);
    const noNumbers = thrownBy(() => loadConfig({ ...twilioEnv, ALERT_SMS_TO: '' }), ConfigError);
    expect(noNumbers.problems.map((problem) => problem.split(':')[0])).toEqual(['ALERT_SMS_TO']);
  });
});
