import { readFileSync } from 'node:fs';

/** Every environment variable src/config.ts reads: the keys of its zod env schema. */
export function configVariables(): string[] {
  const config = readFileSync(new URL('../../src/config.ts', import.meta.url), 'utf8');
  const schema = config.slice(config.indexOf('const envSchema'), config.indexOf('.superRefine('));
  return [...schema.matchAll(/^ {4}([A-Z][A-Z0-9_]+):/gm)].map(([, name]) => name as string);
}
