/** npm run docs: regenerate docs/API.md from schema/*.graphql (a test fails when it is stale). */
import { writeFile } from 'node:fs/promises';
import { loadConfig } from '../src/config.js';
import { renderApiReference } from '../src/docs/api-reference.js';
import { createSchema } from '../src/schema.js';

const schema = createSchema({ rateLimits: loadConfig({}).rateLimits, redis: null });
await writeFile(new URL('../docs/API.md', import.meta.url), renderApiReference(schema));
console.log('Wrote docs/API.md');
