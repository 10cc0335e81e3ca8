import OpenAI from 'openai';
import type { ChatCompletion, ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import type { Config } from '../../config.js';
import type { ExternalServices } from '../../infra/external-services.js';

/** One chat-completion round trip to the configured model. */
export interface ChatModel {
  readonly model: string;
  complete(messages: ChatCompletionMessageParam[], tools?: ChatCompletionTool[]): Promise<ChatCompletion>;
}

/**
 * A provider outage, as opposed to a request of ours it refused: connection failures and timeouts
 * (ours or the client's), 408, 429 and 5xx. Only these count towards opening the breaker; a 400 (a
 * prompt too long, say) or a 401 (a bad key) would not be cured by cutting the provider off.
 */
export function isOpenAiOutage(error: unknown): boolean {
  if (error instanceof OpenAI.APIUserAbortError || error instanceof OpenAI.APIConnectionError) return true;
  if (error instanceof OpenAI.APIError)
    return error.status === undefined || error.status === 408 || error.status === 429 || error.status >= 500;
  return true;
}

/**
 * The official OpenAI client behind the `openai` circuit breaker and call limits (OPENAI_CONCURRENCY,
 * OPENAI_REQUESTS_PER_MINUTE). The client's own retries (OPENAI_MAX_RETRIES, exponential backoff with
 * jitter, retryable errors only) run inside one breaker call; OPENAI_TIMEOUT_MS bounds the whole call.
 */
export function createOpenAiChat(config: Extract<Config['assistant'], { kind: 'openai' }>, externalServices: ExternalServices): ChatModel {
  const client = new OpenAI({
    apiKey: config.apiKey,
    // Explicit, so the client never falls back to reading process.env itself.
    baseURL: config.baseUrl ?? 'https://api.openai.com/v1',
    timeout: config.limits.timeoutMs,
    maxRetries: config.maxRetries,
  });
  const service = externalServices.register('openai', { ...config.limits, isOutage: isOpenAiOutage });
  return {
    model: config.model,
    complete: (messages, tools) =>
      service.call((signal) => client.chat.completions.create({ model: config.model, messages, ...(tools ? { tools } : {}) }, { signal })),
  };
}
