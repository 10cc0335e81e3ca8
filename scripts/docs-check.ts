import { fileURLToPath } from 'node:url';
import { startHandbookServer } from './docs-check/handbook-server.js';
import { checkHandbook, collectCodeFacts, formatProblems, readHandbook } from './docs-check/index.js';
import { runSmokeTests } from './smoke/smoke-checks.js';

/**
 * `npm run docs:check`: the handbook (README.md, docs/) against the code — names both ways, commands,
 * GraphQL operations, links, manifests — and the smoke test against a freshly started server.
 */
const root = fileURLToPath(new URL('..', import.meta.url));
const server = await startHandbookServer();
let failed = false;
try {
  const docs = readHandbook(root);
  const problems = checkHandbook(root, docs, collectCodeFacts(root, server));
  if (problems.length > 0) {
    failed = true;
    console.error(`docs:check: ${problems.length} problem(s) in ${docs.length} documents:\n${formatProblems(problems)}`);
  } else {
    console.log(`docs:check: ${docs.length} documents agree with the code`);
  }
  const smoke = await runSmokeTests(server.url);
  for (const result of smoke.filter((check) => !check.ok)) console.error(`  smoke: FAIL ${result.name}: ${result.detail}`);
  if (smoke.some((check) => !check.ok)) failed = true;
  else console.log(`docs:check: smoke test passed (${smoke.length} checks, scripts/smoke-test.ts)`);
} finally {
  await server.close();
}
process.exit(failed ? 1 : 0);
