import { type Check, result } from '../audit.js';
import { graphqlUrl, probe } from '../http-probe.js';

/** Origins no deployment lists: a stranger's site, and `null` (sandboxed iframes, file://, redirects). */
export const hostileOrigins = ['https://attacker.invalid', 'null'];

/** A CORS preflight from each hostile origin must not be allowed (no matching allow-origin, no wildcard). */
export const corsCheck: Check = {
  name: 'CORS',
  async run({ url, ca }) {
    if (!url) return result('not-run', 'no --url: no running server to ask');
    const evidence: string[] = [];
    let allowed = 0;
    for (const origin of hostileOrigins) {
      const response = await probe(graphqlUrl(url), {
        method: 'OPTIONS',
        ca,
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' },
      });
      const allowOrigin = response.headers['access-control-allow-origin'];
      const open = allowOrigin === origin || allowOrigin === '*';
      if (open) allowed++;
      evidence.push(
        `preflight from ${origin}: ${response.status}, access-control-allow-origin: ${allowOrigin ?? '(none)'}, credentials: ${response.headers['access-control-allow-credentials'] ?? '(none)'}`,
      );
    }
    return allowed > 0
      ? result('fail', `${allowed} unlisted origin(s) allowed cross-origin`, evidence)
      : result('pass', 'unlisted and null origins get no allow-origin', evidence);
  },
};
