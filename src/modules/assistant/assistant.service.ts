import OpenAI from 'openai';
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import { z } from 'zod';
import { AppError, NotFoundError, ServiceUnavailableError } from '../../errors.js';
import type { Db } from '../../infra/db.js';
import type { Logger } from '../../infra/logger.js';
import type { Metrics } from '../../infra/metrics.js';
import { parseInput, text } from '../../validation/validate.js';
import {
  type AssistantRestaurant,
  type AssistantTool,
  type AssistantToolContext,
  type AssistantToolServices,
  assistantTools,
} from './assistant-tools.js';
import type { ChatModel } from './openai-chat.js';

export interface AssistantAnswer {
  answer: string;
  toolsUsed: string[];
  model: string;
}

/** Look-up rounds before the model must answer with what it has (the last round offers no tools). */
const maxToolRounds = 4;
const question = text({ min: 1, max: 1_000 });

const toolSpecs: ChatCompletionTool[] = assistantTools.map((tool) => ({
  type: 'function',
  function: { name: tool.name, description: tool.description, parameters: z.toJSONSchema(tool.args, { io: 'input' }) },
}));
const toolsByName = new Map(assistantTools.map((tool) => [tool.name, tool]));

function systemPrompt(restaurant: AssistantRestaurant, now: Date): string {
  return [
    `You are Servio's assistant for the restaurant "${restaurant.name}".`,
    "Answer the manager's question only from what the tools return about this restaurant; if they do not cover it, say so.",
    `Now is ${now.toISOString()}; the restaurant's time zone is ${restaurant.timezone} and its currency ${restaurant.currency}.`,
    'Be brief and concrete: figures, names, dates.',
  ].join(' ');
}

type Outcome = 'answered' | 'failed' | 'unavailable';

/**
 * Answers a question about one restaurant with a tool-calling chat model. The restaurant comes from
 * the authorised argument; the tools read only its data, so no prompt can reach another tenant's.
 */
export function createAssistantService(deps: {
  prisma: Db;
  services: AssistantToolServices;
  chat: ChatModel | null;
  metrics: Metrics;
  logger: Logger;
}) {
  const log = deps.logger.child({ component: 'assistant' });

  async function runTool(tool: AssistantTool | undefined, rawArguments: string, context: AssistantToolContext) {
    if (!tool) return { error: 'There is no such tool.' };
    let args: unknown;
    try {
      args = JSON.parse(rawArguments || '{}');
    } catch {
      return { error: 'The arguments are not valid JSON.' };
    }
    const parsed = tool.args.safeParse(args);
    if (!parsed.success)
      return { error: `Invalid arguments: ${parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`).join('; ')}` };
    try {
      return await tool.run(parsed.data as never, context);
    } catch (error) {
      // A refusal (a bad period, say) is the model's to read and correct; anything else is ours.
      if (error instanceof AppError) return { error: error.message };
      throw error;
    }
  }

  async function converse(chat: ChatModel, restaurant: AssistantRestaurant, asked: string): Promise<AssistantAnswer> {
    const now = new Date();
    const context = { restaurant, services: deps.services, now };
    const messages: ChatCompletionMessageParam[] = [
      { role: 'system', content: systemPrompt(restaurant, now) },
      { role: 'user', content: asked },
    ];
    const toolsUsed: string[] = [];
    for (let round = 0; ; round++) {
      const completion = await chat.complete(messages, round < maxToolRounds ? toolSpecs : undefined);
      deps.metrics.increment('openai.tokens', completion.usage?.prompt_tokens ?? 0, { kind: 'prompt' });
      deps.metrics.increment('openai.tokens', completion.usage?.completion_tokens ?? 0, { kind: 'completion' });
      const message = completion.choices[0]?.message;
      if (!message) throw new OpenAI.OpenAIError('The model returned no choice.');
      const calls = (message.tool_calls ?? []).filter((call) => call.type === 'function');
      if (calls.length === 0) return { answer: message.content?.trim() ?? '', toolsUsed, model: completion.model || chat.model };
      messages.push(message);
      for (const call of calls) {
        toolsUsed.push(call.function.name);
        const result = await runTool(toolsByName.get(call.function.name), call.function.arguments, context);
        messages.push({ role: 'tool', tool_call_id: call.id, content: JSON.stringify(result) });
      }
    }
  }

  return {
    async ask(restaurantId: string, rawQuestion: unknown): Promise<AssistantAnswer> {
      const asked = parseInput(question, rawQuestion, 'question');
      const started = performance.now();
      const finish = (outcome: Outcome) => {
        deps.metrics.increment('assistant.queries', 1, { outcome });
        deps.metrics.timing('assistant.query.duration', performance.now() - started, { outcome });
      };
      if (!deps.chat) {
        finish('unavailable');
        throw new ServiceUnavailableError('openai', 'The assistant is not configured on this server.');
      }
      const restaurant = await deps.prisma.restaurant.findUnique({
        where: { id: restaurantId },
        select: { id: true, name: true, timezone: true, currency: true },
      });
      if (!restaurant) throw new NotFoundError('Restaurant', restaurantId);
      try {
        const answer = await converse(deps.chat, restaurant, asked);
        finish('answered');
        return answer;
      } catch (error) {
        if (error instanceof ServiceUnavailableError) {
          finish('unavailable');
          throw error;
        }
        finish('failed');
        if (!(error instanceof OpenAI.OpenAIError)) throw error;
        log.warn({ err: error, restaurantId }, 'the language model failed');
        throw new ServiceUnavailableError('openai', 'The assistant could not answer: its language model is failing. Try again later.');
      }
    },
  };
}

export type AssistantService = ReturnType<typeof createAssistantService>;
