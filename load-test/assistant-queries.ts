/**
 * AI query load: 30 concurrent users asking the assistant natural-language questions (stock, sales,
 * menu, tasks), answered by a local fake of the OpenAI API (test/testkit/fake-openai.ts) that takes
 * --model-latency-ms per completion, like a real model. Target: p95 < 2 s and < 5 % errors; exits 1
 * otherwise. Loopback only.
 *   npm run load:assistant -- [seconds] [--connections 30] [--model-latency-ms 300]
 *     starts the API in-process on a private in-memory database with the demo data. Its settings
 *     come from the environment as for `npm start` (OPENAI_CONCURRENCY, OPENAI_REQUESTS_PER_MINUTE …),
 *     with the rate limits and the OpenAI per-minute cap raised unless set there.
 *   npm run load:assistant -- [seconds] --url http://127.0.0.1:4000 [--openai-port 4010]
 *     against a running server with the demo data, started with
 *     OPENAI_BASE_URL=http://127.0.0.1:4010/v1 OPENAI_API_KEY=sk-load-test RATE_LIMIT_HEAVY=1000000/60 npm start
 */
import { parseArgs } from 'node:util';
import { type ChatRequest, type Reply, startFakeOpenAi, toolEchoModel } from '../test/testkit/fake-openai.js';
import { demoRestaurantId, signInAsDemoUser } from './demo-client.js';
import { type DemoServer, startDemoServer } from './demo-server.js';
import { exitUnlessLoopback } from './loopback.js';
import { measure, percentile } from './measure.js';

const thresholds = { p95Ms: 2_000, errorRate: 0.05 };
/** The key the fake accepts when a running server is pointed at it (it guards nothing real). */
const fakeKeyForRunningServer = 'sk-load-test';

/** What managers ask, and the look-up a model would choose for each. */
const questions: Array<{ question: string; tool: string; arguments: Record<string, unknown> }> = [
  { question: 'What is running low in the kitchen?', tool: 'low_stock_items', arguments: {} },
  { question: 'How did we do over the last seven days?', tool: 'sales_summary', arguments: { days: 7 } },
  { question: 'Which dishes sold best this month?', tool: 'top_selling_items', arguments: { days: 30, limit: 5 } },
  { question: 'Which menu items are unavailable right now?', tool: 'menu_items', arguments: {} },
  { question: 'Which tasks are overdue?', tool: 'open_tasks', arguments: { overdueOnly: true } },
  { question: 'Was labour in line with sales this week?', tool: 'labor_vs_sales', arguments: { days: 7 } },
  { question: 'What was our revenue yesterday?', tool: 'sales_summary', arguments: { days: 1 } },
  { question: 'Do we need to order flour or butter?', tool: 'low_stock_items', arguments: {} },
];
const lookUpFor = new Map(questions.map((entry) => [entry.question, entry]));

/** A model that looks up what the question needs, then answers from the results (toolEchoModel). */
function managerQuestionsModel(request: ChatRequest): Reply {
  const last = request.messages.at(-1);
  const lookUp = last?.role === 'user' && request.tools ? lookUpFor.get(last.content ?? '') : undefined;
  return lookUp ? { toolCalls: [{ name: lookUp.tool, arguments: lookUp.arguments }] } : toolEchoModel(request);
}

const usage = 'Usage: npm run load:assistant -- [seconds] [--url URL] [--connections N] [--model-latency-ms MS] [--openai-port PORT]';
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    url: { type: 'string' },
    connections: { type: 'string', default: '30' },
    'model-latency-ms': { type: 'string', default: '300' },
    'openai-port': { type: 'string', default: '4010' },
  },
});
const wholeNumber = (text: string | undefined, name: string) => {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) {
    console.error(`${name} must be a whole number, not "${text}".\n${usage}`);
    process.exit(1);
  }
  return value;
};
const seconds = Math.min(Math.max(1, wholeNumber(positionals[0] ?? '20', 'seconds')), 120);
const connections = Math.max(1, wholeNumber(values.connections, '--connections'));
const modelLatencyMs = wholeNumber(values['model-latency-ms'], '--model-latency-ms');
if (values.url) exitUnlessLoopback(values.url);

const openai = await startFakeOpenAi({
  latencyMs: modelLatencyMs,
  ...(values.url ? { apiKey: fakeKeyForRunningServer, port: wholeNumber(values['openai-port'], '--openai-port') } : {}),
});
openai.script(managerQuestionsModel);

/**
 * Waits (up to 30 s) for the conversations still running when the run stopped, so the fake is not
 * closed under them: a running server would count the refused calls towards opening its breaker.
 */
async function untilModelIdle() {
  const deadline = Date.now() + 30_000;
  for (let seen = -1; seen !== openai.requests.length && Date.now() < deadline; ) {
    seen = openai.requests.length;
    await new Promise((resolve) => setTimeout(resolve, modelLatencyMs + 500));
  }
}

let server: DemoServer | undefined;
try {
  server = values.url
    ? undefined
    : await startDemoServer({
        LOG_LEVEL: 'error',
        // The per-minute cap is the OpenAI account's budget, not the server's capacity: at the default
        // 100 calls a minute (about 50 questions), 30 users asking back to back only measure the queue.
        OPENAI_REQUESTS_PER_MINUTE: '100000',
        ...process.env,
        OPENAI_API_KEY: openai.apiKey,
        OPENAI_BASE_URL: openai.baseUrl,
      });
  const url = server?.url ?? (values.url as string);
  const token = await signInAsDemoUser(url, 'manager@demo-bistro.test');
  const restaurantId = await demoRestaurantId(url, 'demo-bistro');
  const query = 'query Ask($r: ID!, $q: String!) { askAssistant(restaurantId: $r, question: $q) { answer toolsUsed } }';

  let answers = 0;
  const { result, latenciesMs, unfinishedMs } = await measure({
    url: `${url}/graphql`,
    connections,
    duration: seconds,
    requests: questions.map(({ question }) => ({
      method: 'POST' as const,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables: { r: restaurantId, q: question } }),
      onResponse: (status: number, body: string) => {
        // '"errors":[' cannot occur inside a JSON string value (its quotes are escaped), only as the key.
        if (status === 200 && body.includes('"askAssistant":{') && !body.includes('"errors":[')) answers++;
      },
    })),
  });

  // Every request that came back without an answer is an error: GraphQL errors, non-2xx, connection
  // errors and timeouts (autocannon counts timeouts among its errors). A question still unanswered
  // after the p95 target when the run stopped counts towards latency with its wait so far (a lower
  // bound); one asked shortly before the end says nothing yet, and is left out.
  const attempts = result.requests.total + result.errors;
  const errorRate = attempts ? (attempts - answers) / attempts : 1;
  const overdue = unfinishedMs.filter((waited) => waited >= thresholds.p95Ms);
  const samples = [...latenciesMs, ...overdue].sort((a, b) => a - b);
  const p95 = percentile(samples, 95);
  const passed = attempts > 0 && p95 < thresholds.p95Ms && errorRate < thresholds.errorRate;
  const limits = server?.infra.config.assistant;
  console.log(
    JSON.stringify(
      {
        server: server ? 'in-process (private in-memory database, demo data)' : url,
        durationSeconds: seconds,
        connections,
        modelLatencyMs,
        ...(limits?.kind === 'openai' ? { serverOpenAiLimits: limits.limits } : {}),
        requests: attempts,
        requestsPerSecond: result.requests.average,
        latencyMs: {
          p50: percentile(samples, 50),
          p95,
          p99: percentile(samples, 99),
          max: percentile(samples, 100),
        },
        unfinished: { atEnd: unfinishedMs.length, waitingPastP95Target: overdue.length },
        errorRate: Math.round(errorRate * 10_000) / 10_000,
        errors: {
          notAnAnswer: result.requests.total - answers,
          non2xx: result.non2xx,
          noResponse: result.errors,
          timeouts: result.timeouts,
        },
        answers,
        modelCalls: openai.requests.length,
        thresholds,
        passed,
      },
      null,
      2,
    ),
  );
  if (values.url && openai.requests.length === 0)
    console.error(`The fake model got no calls: start the server with OPENAI_BASE_URL=${openai.baseUrl} OPENAI_API_KEY=${openai.apiKey}.`);
  process.exitCode = passed ? 0 : 1;
  await untilModelIdle();
} finally {
  await server?.close();
  await openai.close();
}
