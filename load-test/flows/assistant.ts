import { demoPassword } from '../../src/demo/demo-restaurants.js';
import type { ChatRequest, Reply } from '../../test/testkit/fake-openai.js';
import { toolEchoModel } from '../../test/testkit/fake-openai.js';
import { demoRestaurantId } from '../demo-client.js';
import { type Flow, type FlowContext, signIn } from './flow.js';

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

/** The fake model's script: look up what the question needs, then answer from the results (toolEchoModel). */
export function managerQuestionsModel(request: ChatRequest): Reply {
  const last = request.messages.at(-1);
  const lookUp = last?.role === 'user' && request.tools ? lookUpFor.get(last.content ?? '') : undefined;
  return lookUp ? { toolCalls: [{ name: lookUp.tool, arguments: lookUp.arguments }] } : toolEchoModel(request);
}

const ask = 'query Ask($r: ID!, $q: String!) { askAssistant(restaurantId: $r, question: $q) { answer toolsUsed } }';

/**
 * Managers asking the assistant (the demo bistro's manager; the server's model is the local fake
 * OpenAI the runner starts, scripted with managerQuestionsModel). An answer without tools used counts as failed.
 */
export function assistantFlow({ url, client, recorder }: FlowContext): Flow {
  let token = '';
  let restaurantId = '';
  return {
    async setup() {
      token = await signIn(client, 'manager@demo-bistro.test', demoPassword);
      restaurantId = await demoRestaurantId(url, 'demo-bistro');
    },
    async startUser(index) {
      let next = index;
      return {
        async iteration() {
          const { question } = questions[next++ % questions.length] as (typeof questions)[number];
          const answer = await client.graphql({
            name: 'askAssistant',
            limit: 'HEAVY',
            query: ask,
            variables: { r: restaurantId, q: question },
            token,
          });
          if (answer.ok) recorder.check('the assistant used a tool to answer', (answer.data?.askAssistant?.toolsUsed?.length ?? 0) > 0);
        },
      };
    },
  };
}
