import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from './http-body.js';

/** The part of a Chat Completions request the fake reads. */
export interface ChatRequest {
  model: string;
  messages: Array<{
    role: 'system' | 'user' | 'assistant' | 'tool';
    content?: string | null;
    tool_calls?: Array<{ id: string; type: 'function'; function: { name: string; arguments: string } }>;
    tool_call_id?: string;
  }>;
  tools?: Array<{ type: 'function'; function: { name: string; description?: string; parameters: Record<string, unknown> } }>;
}

/** What the fake model does next: call tools, answer, or fail like the API does. */
export type Reply =
  | { toolCalls: Array<{ name: string; arguments: unknown }> }
  | { content: string }
  | { status: number; error: { message: string; type: string; code: string | null } };

export interface FakeOpenAi {
  /** The API root to give the client (`OPENAI_BASE_URL`), ending in /v1. */
  baseUrl: string;
  apiKey: string;
  /** Every request that reached /v1/chat/completions with the right key, in order. */
  requests: ChatRequest[];
  /** Replaces the model's behaviour. */
  script(next: (request: ChatRequest) => Reply): void;
  close(): Promise<void>;
}

/**
 * The default model: on a question it calls the tool the question names (or `sales_summary` over 7
 * days); once the tools have answered, it replies with their results verbatim, so a test can see
 * that the real data made the round trip.
 */
export function toolEchoModel(request: ChatRequest): Reply {
  const last = request.messages.at(-1);
  if (last?.role === 'user' && request.tools?.length) {
    const named = request.tools.find((tool) => last.content?.includes(tool.function.name));
    return { toolCalls: [named ? { name: named.function.name, arguments: {} } : { name: 'sales_summary', arguments: { days: 7 } }] };
  }
  const results = request.messages.filter((message) => message.role === 'tool').map((message) => message.content);
  return { content: `Here is what I found: ${results.join(' ')}` };
}

export const outage = (status = 503): Reply => ({
  status,
  error: { message: 'The server is overloaded or not ready yet.', type: 'server_error', code: null },
});

export interface FakeOpenAiOptions {
  /** The key the fake accepts; default a random `sk-test-…`. */
  apiKey?: string;
  /** The loopback port to listen on; default 0 (any free port). */
  port?: number;
  /** How long the model "thinks" before each completion, like a real one; default 0. */
  latencyMs?: number;
}

/**
 * A local stand-in for the OpenAI API that speaks its wire protocol: POST /v1/chat/completions with
 * a Bearer key, answered with `chat.completion` objects (tool calls, usage) or the API's JSON errors.
 * The real `openai` client is pointed at it.
 */
export async function startFakeOpenAi(options: FakeOpenAiOptions = {}): Promise<FakeOpenAi> {
  const apiKey = options.apiKey ?? `sk-test-${randomBytes(8).toString('hex')}`;
  const requests: ChatRequest[] = [];
  let next: (request: ChatRequest) => Reply = toolEchoModel;

  const send = (response: ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json', 'x-request-id': `req_${randomBytes(6).toString('hex')}` });
    response.end(JSON.stringify(body));
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const raw = await readBody(request);
    if (request.method !== 'POST' || request.url !== '/v1/chat/completions') {
      return send(response, 404, {
        error: { message: `Unknown request URL: ${request.method} ${request.url}`, type: 'invalid_request_error', code: 'unknown_url' },
      });
    }
    if (request.headers.authorization !== `Bearer ${apiKey}`) {
      return send(response, 401, {
        error: { message: 'Incorrect API key provided.', type: 'invalid_request_error', code: 'invalid_api_key' },
      });
    }
    const body = JSON.parse(raw.toString('utf8')) as ChatRequest;
    requests.push(body);
    if (options.latencyMs) await new Promise((resolve) => setTimeout(resolve, options.latencyMs));
    const reply = next(body);
    if ('status' in reply) return send(response, reply.status, { error: { ...reply.error, param: null } });
    const toolCalls =
      'toolCalls' in reply
        ? reply.toolCalls.map((call) => ({
            id: `call_${randomBytes(6).toString('hex')}`,
            type: 'function',
            function: { name: call.name, arguments: JSON.stringify(call.arguments) },
          }))
        : undefined;
    const promptTokens = JSON.stringify(body.messages).length >> 2;
    const completionTokens = 'content' in reply ? reply.content.length >> 2 : 12;
    send(response, 200, {
      id: `chatcmpl-${randomBytes(8).toString('hex')}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: `${body.model}-2024-07-18`,
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: 'content' in reply ? reply.content : null,
            refusal: null,
            ...(toolCalls ? { tool_calls: toolCalls } : {}),
          },
          logprobs: null,
          finish_reason: toolCalls ? 'tool_calls' : 'stop',
        },
      ],
      usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
      system_fingerprint: 'fp_fake',
    });
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) =>
      send(response, 500, { error: { message: String(error), type: 'server_error', code: null } }),
    );
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    apiKey,
    requests,
    script(replacement) {
      next = replacement;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
