import { type Check, result } from '../audit.js';
import { graphqlUrl, probe } from '../http-probe.js';

/** The headers every answer must carry, and what makes each one right. */
const required: Array<{ name: string; ok: (value: string) => boolean; httpsOnly?: boolean }> = [
  {
    name: 'strict-transport-security',
    ok: (value) => /max-age=(\d+)/.test(value) && Number(/max-age=(\d+)/.exec(value)?.[1]) >= 15_552_000,
    httpsOnly: true,
  },
  { name: 'content-security-policy', ok: (value) => /frame-ancestors 'none'/.test(value) && /default-src/.test(value) },
  { name: 'x-frame-options', ok: (value) => /^(deny|sameorigin)$/i.test(value) },
  { name: 'x-content-type-options', ok: (value) => value.toLowerCase() === 'nosniff' },
];

/** HSTS (≥ 180 days, on https), CSP with frame-ancestors, frame options and nosniff, read from a real GraphQL answer. */
export const securityHeadersCheck: Check = {
  name: 'security headers',
  async run({ url, ca }) {
    if (!url) return result('not-run', 'no --url: no running server to ask');
    const target = graphqlUrl(url);
    target.searchParams.set('query', '{ __typename }');
    const response = await probe(target, { ca, headers: { 'apollo-require-preflight': 'true' } });
    const evidence = [`GET ${target.pathname}?query=… → ${response.status}`];
    const wrong: string[] = [];
    for (const header of required) {
      if (header.httpsOnly && url.protocol !== 'https:') {
        evidence.push(`${header.name}: not judged over plain http`);
        continue;
      }
      const value = [response.headers[header.name]].flat().join(', ');
      evidence.push(`${header.name}: ${value || '(missing)'}`);
      if (!value || !header.ok(value)) wrong.push(header.name);
    }
    if (response.headers['x-powered-by']) wrong.push('x-powered-by (must not be sent)');
    return wrong.length > 0
      ? result('fail', `missing or weak: ${wrong.join(', ')}`, evidence)
      : result('pass', 'HSTS, CSP, frame options and nosniff present', evidence);
  },
};
