import { type Check, result } from '../audit.js';
import { hostileRequests, leakPattern } from '../hostile-inputs.js';
import { graphqlUrl, probe } from '../http-probe.js';
import { scanForRawSql } from '../raw-sql.js';

/** No raw SQL built from strings in src/, scripts/ or prisma/ (the scan test/no-raw-sql.test.ts runs too). */
export const rawSqlCheck: Check = {
  name: 'SQL injection: source',
  async run({ root }) {
    const { files, offences } = await scanForRawSql(root);
    const evidence = [`${files.length} file(s) scanned`, ...offences];
    return offences.length > 0
      ? result('fail', `${offences.length} raw SQL call(s) built from strings`, evidence)
      : result('pass', 'no string-built raw SQL', evidence);
  },
};

/** The hostile-input battery against a running server: 4xx-class answers only, nothing internal leaked. */
export const hostileInputCheck: Check = {
  name: 'SQL injection: hostile input',
  async run({ url, ca }) {
    if (!url) return result('not-run', 'no --url: no running server to ask');
    const evidence: string[] = [];
    let failed = 0;
    for (const hostile of hostileRequests) {
      const target = graphqlUrl(url);
      if (hostile.query) target.searchParams.set('query', hostile.query);
      const body = hostile.body === undefined ? undefined : typeof hostile.body === 'string' ? hostile.body : JSON.stringify(hostile.body);
      const response = await probe(target, {
        method: hostile.method ?? 'POST',
        ca,
        headers: { 'content-type': 'application/json', 'apollo-require-preflight': 'true' },
        ...(body === undefined ? {} : { body }),
      });
      const codes = [...response.body.matchAll(/"code":"([A-Z_]+)"/g)].map(([, code]) => code);
      const problem =
        response.status >= 500
          ? `HTTP ${response.status}`
          : codes.includes('INTERNAL_SERVER_ERROR')
            ? 'INTERNAL_SERVER_ERROR'
            : leakPattern.test(response.body)
              ? 'internal text leaked'
              : null;
      if (problem) failed++;
      evidence.push(
        `${problem ? 'FAIL' : 'ok'}: ${hostile.name} → ${response.status} ${[...new Set(codes)].join(', ') || '(no error code)'}${problem ? ` (${problem})` : ''}`,
      );
    }
    return failed > 0
      ? result('fail', `${failed} of ${hostileRequests.length} hostile requests got a server error or leaked internals`, evidence)
      : result('pass', `${hostileRequests.length} hostile requests, each refused or answered cleanly`, evidence);
  },
};
