import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, startTestServer, type TestServer } from './testkit/test-server.js';

const login = 'mutation { login(email: "nobody@example.com", password: "wrong password") { accessToken } }';

describe('NODE_ENV=development', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ NODE_ENV: 'development', RATE_LIMIT_AUTH: '2/60' });
  });
  afterAll(() => server?.close());

  it('never locks a loopback caller out of signing in, while other addresses keep the AUTH tier', async () => {
    const loopback = [];
    for (let i = 0; i < 4; i++) loopback.push(errorCode((await server.graphql(login, {}, { 'x-forwarded-for': '127.0.0.1' })).body));
    const remote = [];
    for (let i = 0; i < 3; i++) remote.push(errorCode((await server.graphql(login, {}, { 'x-forwarded-for': '2001:db8::77' })).body));

    expect(loopback).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED']);
    expect(remote).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED', 'RATE_LIMITED']);
  });
});
