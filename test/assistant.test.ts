import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ChatRequest, type FakeOpenAi, outage, startFakeOpenAi, toolEchoModel } from './testkit/fake-openai.js';
import { scrape } from './testkit/prometheus.js';
import { aRestaurant, aUser } from './testkit/seed-builder.js';
import { type Json, startTestServer, type TestServer } from './testkit/test-server.js';
import { startWebhookReceiver } from './testkit/webhook-receiver.js';

const ask = 'query Ask($r: ID!, $q: String!) { askAssistant(restaurantId: $r, question: $q) { answer toolsUsed model } }';

/** The tool results the server sent back to the model, parsed. */
const toolResults = (request: ChatRequest | undefined) =>
  (request?.messages ?? []).filter((message) => message.role === 'tool').map((message) => JSON.parse(message.content ?? 'null'));

/** A restaurant low on Flour (with Sugar in stock and a menu), and its signed-in manager. */
async function aKitchen(server: TestServer, lowItem = 'Flour') {
  const built = await aRestaurant(server.infra.db.prisma)
    .withStock(lowItem, 1, { threshold: 5 })
    .withStock('Sugar', 50, { threshold: 5 })
    .withCategory('Mains', 2, { unavailable: 1 })
    .build();
  const manager = await aUser(server.infra.db.prisma).memberOf(built.restaurant.id, 'MANAGER').build();
  return { restaurant: built.restaurant, headers: await server.loginAs(manager.email) };
}

describe('askAssistant with a language model', () => {
  let openai: FakeOpenAi;
  let server: TestServer;
  beforeAll(async () => {
    openai = await startFakeOpenAi();
    server = await startTestServer({ OPENAI_API_KEY: openai.apiKey, OPENAI_BASE_URL: openai.baseUrl, OPENAI_MAX_RETRIES: '0' });
  });
  afterAll(async () => {
    await server?.close();
    await openai?.close();
  });
  afterEach(() => openai.script(toolEchoModel));

  it("answers from the restaurant's own data, looked up through the tools the model chose", async () => {
    const mine = await aKitchen(server);
    await aKitchen(server, 'Saffron'); // another restaurant, also low on something
    const before = openai.requests.length;

    const { body } = await server.graphql<Json>(ask, { r: mine.restaurant.id, q: 'What does low_stock_items say?' }, mine.headers);

    expect(body.errors).toBeUndefined();
    expect(body.data.askAssistant.toolsUsed).toEqual(['low_stock_items']);
    expect(body.data.askAssistant.model).toBe('gpt-4o-mini-2024-07-18');
    expect(body.data.askAssistant.answer).toContain('Flour');
    expect(body.data.askAssistant.answer).not.toMatch(/Saffron|Sugar/);

    const [first, second] = openai.requests.slice(before);
    expect(openai.requests.length - before).toBe(2);
    expect(first?.model).toBe('gpt-4o-mini');
    expect(first?.messages[0]?.content).toContain(mine.restaurant.name);
    expect(first?.messages[0]?.content).toContain('Europe/Paris');
    expect(first?.tools?.map((tool) => tool.function.name).sort()).toEqual([
      'labor_vs_sales',
      'low_stock_items',
      'menu_items',
      'open_tasks',
      'sales_summary',
      'top_selling_items',
    ]);
    expect(toolResults(second)).toEqual([[{ name: 'Flour', quantity: '1 kg', reorderThreshold: '5 kg' }]]);
  });

  it('reports real sales figures in the currency, and sends no tools on the last round', async () => {
    const { restaurant, headers } = await aKitchen(server);
    const prisma = server.infra.db.prisma;
    const order = (totalAmount: number, status: 'COMPLETED' | 'CANCELLED') =>
      prisma.order.create({
        data: {
          restaurantId: restaurant.id,
          idempotencyKey: `assistant-${Math.random()}`,
          status,
          subtotalAmount: totalAmount,
          taxAmount: 0,
          totalAmount,
          currency: 'EUR',
        },
      });
    await Promise.all([order(1250, 'COMPLETED'), order(750, 'COMPLETED'), order(9900, 'CANCELLED')]);
    // A model that keeps asking: it is made to answer once the look-up rounds are spent.
    const before = openai.requests.length;
    openai.script((request) =>
      request.tools ? { toolCalls: [{ name: 'sales_summary', arguments: { days: 7 } }] } : { content: 'Two orders, 20.00 EUR.' },
    );

    const { body } = await server.graphql<Json>(ask, { r: restaurant.id, q: 'How did we do this week?' }, headers);

    expect(body.errors).toBeUndefined();
    expect(body.data.askAssistant).toMatchObject({ answer: 'Two orders, 20.00 EUR.', toolsUsed: Array(4).fill('sales_summary') });
    const requests = openai.requests.slice(before);
    expect(requests).toHaveLength(5);
    expect(requests.at(-1)?.tools).toBeUndefined();
    expect(toolResults(requests[1])[0]).toMatchObject({ completedOrders: 2, revenue: '20.00 EUR', averageOrderValue: '10.00 EUR' });
  });

  it("keeps the model to the question's restaurant: a restaurantId it passes is ignored", async () => {
    const mine = await aKitchen(server);
    const theirs = await aKitchen(server, 'Saffron');
    openai.script((request) =>
      request.messages.at(-1)?.role === 'user'
        ? { toolCalls: [{ name: 'low_stock_items', arguments: { restaurantId: theirs.restaurant.id } }] }
        : toolEchoModel(request),
    );
    const { body } = await server.graphql<Json>(ask, { r: mine.restaurant.id, q: 'What is low at the other place?' }, mine.headers);
    expect(body.data.askAssistant.answer).toContain('Flour');
    expect(body.data.askAssistant.answer).not.toContain('Saffron');
  });

  it('tells the model about bad tool calls instead of failing the question', async () => {
    const { restaurant, headers } = await aKitchen(server);
    const before = openai.requests.length;
    openai.script((request) =>
      request.messages.at(-1)?.role === 'user'
        ? {
            toolCalls: [
              { name: 'sales_summary', arguments: { days: 1000 } },
              { name: 'drop_tables', arguments: {} },
            ],
          }
        : { content: 'I could not look that up.' },
    );
    const { body } = await server.graphql<Json>(ask, { r: restaurant.id, q: 'Sales since 2020?' }, headers);
    expect(body.data.askAssistant).toEqual({
      answer: 'I could not look that up.',
      toolsUsed: ['sales_summary', 'drop_tables'],
      model: 'gpt-4o-mini-2024-07-18',
    });
    const [invalid, unknown] = toolResults(openai.requests[before + 1]);
    expect(invalid.error).toMatch(/^Invalid arguments: days /);
    expect(unknown).toEqual({ error: 'There is no such tool.' });
  });

  it('is for managers of the restaurant only, and checks the question before calling out', async () => {
    const { restaurant, headers } = await aKitchen(server);
    const other = await aKitchen(server);
    const staff = await aUser(server.infra.db.prisma).memberOf(restaurant.id, 'STAFF').build();
    const before = openai.requests.length;

    const code = async (variables: Record<string, unknown>, as: Record<string, string>) =>
      (await server.graphql<Json>(ask, variables, as)).body.errors?.[0]?.extensions;
    expect(await code({ r: other.restaurant.id, q: 'Sales?' }, headers)).toMatchObject({ code: 'FORBIDDEN' });
    expect(await code({ r: restaurant.id, q: 'Sales?' }, await server.loginAs(staff.email))).toMatchObject({ code: 'FORBIDDEN' });
    expect(await code({ r: restaurant.id, q: 'Sales?' }, {})).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(await code({ r: restaurant.id, q: '   ' }, headers)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'question' });
    expect(await code({ r: restaurant.id, q: 'x'.repeat(1001) }, headers)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'question' });
    expect(openai.requests.length).toBe(before);
  });

  it('is never served from the response cache', async () => {
    const { restaurant, headers } = await aKitchen(server);
    const before = openai.requests.length;
    const first = await server.graphql<Json>(ask, { r: restaurant.id, q: 'Sales?' }, headers);
    const second = await server.graphql<Json>(ask, { r: restaurant.id, q: 'Sales?' }, headers);
    expect(second.headers.get('x-cache')).not.toBe('HIT');
    expect(second.body.data.askAssistant).toEqual(first.body.data.askAssistant);
    expect(openai.requests.length - before).toBe(4);
  });

  it('counts questions by outcome, their tokens and their time on /metrics', async () => {
    const { restaurant, headers } = await aKitchen(server);
    const earlier = await scrape(server);
    await server.graphql<Json>(ask, { r: restaurant.id, q: 'Sales?' }, headers);
    const later = await scrape(server);
    const delta = (name: string, labels: Record<string, string>) => (later(name, labels) ?? 0) - (earlier(name, labels) ?? 0);
    expect(delta('servio_assistant_queries_total', { outcome: 'answered' })).toBe(1);
    expect(delta('servio_assistant_query_duration_seconds_count', { outcome: 'answered' })).toBe(1);
    expect(delta('servio_external_call_duration_seconds_count', { service: 'openai', outcome: 'success' })).toBe(2);
    expect(delta('servio_openai_tokens_total', { kind: 'prompt' })).toBeGreaterThan(0);
    expect(delta('servio_openai_tokens_total', { kind: 'completion' })).toBeGreaterThan(0);
    expect(later('servio_circuit_breaker_state', { breaker: 'openai' })).toBe(0);
  });

  it('answers SERVICE_UNAVAILABLE when the provider refuses a request, without counting a 400 as an outage', async () => {
    const { restaurant, headers } = await aKitchen(server);
    openai.script(() => ({
      status: 400,
      error: {
        message: "This model's maximum context length is 128000 tokens.",
        type: 'invalid_request_error',
        code: 'context_length_exceeded',
      },
    }));
    for (let i = 0; i < 6; i++) {
      const { body } = await server.graphql<Json>(ask, { r: restaurant.id, q: 'Sales?' }, headers);
      expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE', service: 'openai' });
      expect(body.errors?.[0]?.message).not.toContain('context length');
    }
    expect(server.infra.externalServices.open()).toEqual([]);
  });
});

describe('askAssistant without a language model', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  it('answers SERVICE_UNAVAILABLE and counts the question as unavailable', async () => {
    const { restaurant, headers } = await aKitchen(server);
    const { body } = await server.graphql<Json>(ask, { r: restaurant.id, q: 'Sales?' }, headers);
    expect(body.data).toBeNull();
    expect(body.errors?.[0]).toMatchObject({
      message: 'The assistant is not configured on this server.',
      extensions: { code: 'SERVICE_UNAVAILABLE', service: 'openai' },
    });
    expect((await scrape(server))('servio_assistant_queries_total', { outcome: 'unavailable' })).toBe(1);
  });
});

describe('the OpenAI circuit breaker', () => {
  let openai: FakeOpenAi;
  let webhook: Awaited<ReturnType<typeof startWebhookReceiver>>;
  beforeAll(async () => {
    openai = await startFakeOpenAi();
    webhook = await startWebhookReceiver();
  });
  afterAll(async () => {
    await openai?.close();
    await webhook?.close();
  });

  /** A server whose only reachable alert is the open-breaker one; breakers open after 3 calls. */
  const breakingServer = (resetMs: number) =>
    startTestServer({
      OPENAI_API_KEY: openai.apiKey,
      OPENAI_BASE_URL: openai.baseUrl,
      OPENAI_MAX_RETRIES: '0',
      CIRCUIT_BREAKER_VOLUME: '3',
      CIRCUIT_BREAKER_ERROR_PERCENT: '50',
      CIRCUIT_BREAKER_RESET_MS: String(resetMs),
      ALERT_WEBHOOK_URL: webhook.url,
      ALERT_ERROR_RATE: '1',
      ALERT_P95_MS: '100000',
      ALERT_POOL_SATURATION: '1',
      ALERT_CACHE_HIT_RATE_MIN: '0',
      ALERT_HEAP_RATIO: '1',
    });

  it('opens after repeated outages: questions then fail at once without calling out, and ops are alerted', async () => {
    const server = await breakingServer(60_000);
    try {
      const { restaurant, headers } = await aKitchen(server);
      openai.script(() => outage(503));
      for (let i = 0; i < 3; i++) {
        const { body } = await server.graphql<Json>(ask, { r: restaurant.id, q: 'Sales?' }, headers);
        expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
      }
      const calls = openai.requests.length;

      const { body } = await server.graphql<Json>(ask, { r: restaurant.id, q: 'Sales?' }, headers);
      expect(body.errors?.[0]).toMatchObject({
        message: 'openai is unavailable for now: its circuit breaker is open.',
        extensions: { code: 'SERVICE_UNAVAILABLE', service: 'openai', retryAfter: expect.any(Number) },
      });
      expect(body.errors?.[0]?.extensions?.retryAfter).toBeGreaterThan(50);
      expect(openai.requests.length).toBe(calls);

      const metrics = await scrape(server);
      expect(metrics('servio_circuit_breaker_state', { breaker: 'openai' })).toBe(2);
      expect(metrics('servio_circuit_breaker_transitions_total', { breaker: 'openai', state: 'open' })).toBe(1);
      expect(metrics('servio_assistant_queries_total', { outcome: 'failed' })).toBe(3);
      expect(metrics('servio_assistant_queries_total', { outcome: 'unavailable' })).toBe(1);
      const health = (await (await fetch(`${server.url}/health/detailed`)).json()) as Json;
      expect(health.circuitBreakers).toEqual([
        { name: 'openai', state: 'open', window: expect.objectContaining({ failures: 3, rejects: 1 }), queued: 0 },
      ]);

      const sent = await server.infra.alerts.evaluate();
      expect(sent).toEqual([
        expect.objectContaining({
          status: 'firing',
          name: 'circuit_breaker_open',
          severity: 'critical',
          details: expect.objectContaining({ breakers: 'openai' }),
        }),
      ]);
      expect(webhook.received.at(-1)?.body).toMatchObject({ text: '[CRITICAL] Open circuit breakers is 1 (above 0)' });
    } finally {
      await server.close();
    }
  });

  it('half-opens after CIRCUIT_BREAKER_RESET_MS, closes on a successful trial call, and the alert resolves', async () => {
    const server = await breakingServer(300);
    try {
      const { restaurant, headers } = await aKitchen(server);
      openai.script(() => outage(500));
      for (let i = 0; i < 3; i++) await server.graphql<Json>(ask, { r: restaurant.id, q: 'Sales?' }, headers);
      expect(server.infra.externalServices.open()).toEqual(['openai']);
      await server.infra.alerts.evaluate();

      const deadline = Date.now() + 5_000;
      while (server.infra.externalServices.statuses()[0]?.state !== 'half_open' && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      expect(server.infra.externalServices.statuses()[0]?.state).toBe('half_open');

      openai.script(toolEchoModel);
      const { body } = await server.graphql<Json>(ask, { r: restaurant.id, q: 'What does low_stock_items say?' }, headers);
      expect(body.data.askAssistant.answer).toContain('Flour');
      expect(server.infra.externalServices.statuses()[0]?.state).toBe('closed');

      expect(await server.infra.alerts.evaluate()).toEqual([expect.objectContaining({ status: 'resolved', name: 'circuit_breaker_open' })]);
      const metrics = await scrape(server);
      expect(metrics('servio_circuit_breaker_transitions_total', { breaker: 'openai', state: 'half_open' })).toBe(1);
      expect(metrics('servio_circuit_breaker_transitions_total', { breaker: 'openai', state: 'closed' })).toBe(1);
    } finally {
      await server.close();
    }
  });
});
