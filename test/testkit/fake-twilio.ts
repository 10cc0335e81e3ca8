import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from './http-body.js';

/** A message the fake accepted (answered 201). */
export interface FakeTwilioMessage {
  sid: string;
  accountSid: string;
  from: string;
  to: string;
  body: string;
}

export interface FakeTwilio {
  /** The REST API root to use as TWILIO_API_BASE_URL (`http://127.0.0.1:PORT`). */
  url: string;
  accountSid: string;
  authToken: string;
  /** Every request that reached the server, answered or not. */
  requests: Array<{ method: string; path: string; status: number | null }>;
  /** The messages accepted, in order. */
  messages: FakeTwilioMessage[];
  /** Answers the next `count` requests with `status` (500, 503, 429 …) and Twilio's error body. */
  failNext(count: number, status?: number): void;
  /** Never answers the next `count` requests (the client's timeout has to end them). */
  stallNext(count: number): void;
  close(): Promise<void>;
}

/** Twilio's magic test number for "invalid To" (as with its test credentials); any non-E.164 `To` is too. */
export const invalidNumber = '+15005550001';

const outageCodes: Record<number, [number, string]> = {
  429: [20429, 'Too Many Requests'],
  500: [20500, 'An internal server error has occurred'],
  502: [20502, 'Bad Gateway'],
  503: [20503, 'Service Unavailable'],
};

/**
 * A local Twilio REST API speaking the real protocol for sending SMS: POST
 * /2010-04-01/Accounts/{AccountSid}/Messages.json with HTTP Basic auth (AccountSid:AuthToken) and a
 * form-urlencoded From/To/Body, answered 201 with a Message resource; errors in Twilio's JSON shape
 * (`code`, `message`, `more_info`, `status`).
 */
export async function startFakeTwilio(): Promise<FakeTwilio> {
  const accountSid = `AC${randomBytes(16).toString('hex')}`;
  const authToken = randomBytes(16).toString('hex');
  const requests: FakeTwilio['requests'] = [];
  const messages: FakeTwilioMessage[] = [];
  let failures: { count: number; status: number } = { count: 0, status: 500 };
  let stalls = 0;
  const stalled: ServerResponse[] = [];

  const server = createServer(async (request, response) => {
    const path = new URL(request.url ?? '/', 'http://fake').pathname;
    const record = { method: request.method ?? '', path, status: null as number | null };
    requests.push(record);
    const form = new URLSearchParams((await readBody(request)).toString('utf8'));
    const answer = (status: number, body: unknown) => {
      record.status = status;
      const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
      if (status === 401) headers['www-authenticate'] = 'Basic realm="Twilio API"';
      response.writeHead(status, headers).end(JSON.stringify(body));
    };
    const error = (status: number, code: number, message: string) =>
      answer(status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });

    if (stalls > 0) {
      stalls--;
      stalled.push(response);
      return;
    }
    if (failures.count > 0) {
      failures.count--;
      const [code, message] = outageCodes[failures.status] ?? [20500, 'An internal server error has occurred'];
      return error(failures.status, code, message);
    }
    const route = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(path);
    if (!route || request.method !== 'POST') return error(404, 20404, `The requested resource ${path} was not found`);
    if (basicAuth(request) !== `${accountSid}:${authToken}` || route[1] !== accountSid)
      return error(401, 20003, 'Authentication Error - invalid username');

    const [from, to, body] = [form.get('From'), form.get('To'), form.get('Body')];
    if (!to) return error(400, 21604, "A 'To' phone number is required.");
    if (!from) return error(400, 21603, "A 'From' phone number is required.");
    if (!body) return error(400, 21602, 'Message body is required.');
    if (to === invalidNumber || !/^\+[1-9]\d{1,14}$/.test(to))
      return error(400, 21211, `The 'To' number ${to} is not a valid phone number.`);

    const sid = `SM${randomBytes(16).toString('hex')}`;
    messages.push({ sid, accountSid, from, to, body });
    const now = new Date().toUTCString().replace('GMT', '+0000');
    const uri = `/2010-04-01/Accounts/${accountSid}/Messages/${sid}.json`;
    answer(201, {
      account_sid: accountSid,
      api_version: '2010-04-01',
      body,
      date_created: now,
      date_sent: null,
      date_updated: now,
      direction: 'outbound-api',
      error_code: null,
      error_message: null,
      from,
      messaging_service_sid: null,
      num_media: '0',
      num_segments: String(Math.ceil(body.length / 160)),
      price: null,
      price_unit: 'USD',
      sid,
      status: 'queued',
      subresource_uris: { media: uri.replace('.json', '/Media.json') },
      to,
      uri,
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    accountSid,
    authToken,
    requests,
    messages,
    failNext(count, status = 500) {
      failures = { count, status };
    },
    stallNext(count) {
      stalls = count;
    },
    async close() {
      for (const response of stalled) response.destroy();
      // The twilio client keeps connections alive; don't wait for them to idle out.
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

function basicAuth(request: IncomingMessage): string | null {
  const [scheme, credentials] = (request.headers.authorization ?? '').split(' ');
  return scheme === 'Basic' && credentials ? Buffer.from(credentials, 'base64').toString() : null;
}
