/**
 * npm run persisted:build: compile operations/partners/*.graphql into
 * operations/persisted-query-manifest.json (Apollo's manifest format), the list of operations
 * partner API keys may run. Commit the result; a test fails when it is out of date.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { buildManifest } from '../src/plugins/persisted-queries/manifest.js';
import { manifestPath, partnerOperationsDir } from '../src/plugins/persisted-queries/paths.js';

const files = (await readdir(partnerOperationsDir)).filter((file) => file.endsWith('.graphql')).sort();
const manifest = buildManifest(await Promise.all(files.map((file) => readFile(`${partnerOperationsDir}/${file}`, 'utf8'))));
await writeFile(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
console.log(`Wrote ${manifest.operations.length} operations to operations/persisted-query-manifest.json`);
