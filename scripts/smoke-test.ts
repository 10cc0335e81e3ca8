import { parseArgs } from 'node:util';
import { runSmokeTests } from './smoke/smoke-checks.js';

/** `npm run smoke -- <url> [--slug demo-bistro]`: exits 1 when any check fails. */
const { positionals, values } = parseArgs({ allowPositionals: true, options: { slug: { type: 'string' } } });
const url = positionals[0];
if (!url || !/^https?:\/\//.test(url)) {
  console.error('usage: npm run smoke -- <base url, e.g. https://api.example.com> [--slug <restaurant slug>]');
  process.exit(2);
}
const results = await runSmokeTests(url, values.slug ? { slug: values.slug } : {});
for (const result of results) {
  console.log(`${result.ok ? 'ok  ' : 'FAIL'} ${result.name} — ${result.detail} (${Math.round(result.ms)} ms)`);
}
const failed = results.filter((result) => !result.ok).length;
console.log(
  failed === 0
    ? `smoke: all ${results.length} checks passed against ${url}`
    : `smoke: ${failed} of ${results.length} checks failed against ${url}`,
);
process.exit(failed === 0 ? 0 : 1);
