import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configVariables } from './testkit/config-variables.js';

const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');
const readme = read('README.md');

/** The README is the front door: whatever the server reads or the project runs must be listed there. */
describe('README', () => {
  it('lists every environment variable config.ts reads', () => {
    const variables = configVariables();
    expect(variables.length).toBeGreaterThan(50);
    expect(variables.filter((name) => !readme.includes(`\`${name}\``))).toEqual([]);
  });

  it('lists every npm script', () => {
    const scripts = Object.keys((JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts);
    const listed = (name: string) => readme.includes(`npm run ${name}`) || readme.includes(`\`${name}\``) || readme.includes(`npm ${name}`);
    expect(scripts.filter((name) => !listed(name))).toEqual([]);
  });
});
