import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('..', import.meta.url);
const checklist = readFileSync(new URL('docs/security/penetration-test-checklist.md', root), 'utf8');

interface Case {
  id: string;
  proof: string;
}

/** The table rows: `| API1-01 | tried | must happen | proof |`. */
function cases(text: string): Case[] {
  return [...text.matchAll(/^\| ((?:API\d+|GQL)-\d+)\s+\|.*\|\s*([^|]+?)\s*\|$/gm)].map(([, id, proof]) => ({
    id: id as string,
    proof: (proof as string).trim(),
  }));
}

/** `` `file` › `test name` `` references of one proof cell. */
function references(proof: string): Array<{ file: string; name: string }> {
  return [...proof.matchAll(/`([^`]+\.test\.ts)` › `([^`]+)`/g)].map(([, file, name]) => ({ file: file as string, name: name as string }));
}

/** Whether `file` declares a test called `name`: the name as a string literal opening a call (`it(`, `it.each(…)(`). */
function declaresTest(file: string, name: string): boolean {
  const path = new URL(file, root);
  if (!existsSync(path)) return false;
  const text = readFileSync(path, 'utf8');
  return ["'", '"', '`'].some((quote) => new RegExp(`\\(\\s*${quote}${escapeRegExp(name)}${quote}`).test(text));
}
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('docs/security/penetration-test-checklist.md', () => {
  const all = cases(checklist);

  it('has at least 100 cases with unique ids, over every OWASP API Top 10 (2023) category and GraphQL', () => {
    expect(all.length).toBeGreaterThanOrEqual(100);
    expect(new Set(all.map((c) => c.id)).size).toBe(all.length);
    const categories = new Set(all.map((c) => c.id.split('-')[0]));
    expect([...categories].sort()).toEqual(['API1', 'API10', 'API2', 'API3', 'API4', 'API5', 'API6', 'API7', 'API8', 'API9', 'GQL']);
  });

  it('proves each case with a test, or says why it is manual or open', () => {
    const unproven = all.filter((c) => references(c.proof).length === 0 && !/^(manual|open): \S/.test(c.proof));
    expect(unproven).toEqual([]);
  });

  it('references only tests that exist, by file and exact name', () => {
    const missing = all.flatMap((c) =>
      references(c.proof)
        .filter((ref) => !declaresTest(ref.file, ref.name))
        .map((ref) => `${c.id}: ${ref.file} › ${ref.name}`),
    );
    expect(missing).toEqual([]);
    expect(all.flatMap((c) => references(c.proof)).length).toBeGreaterThanOrEqual(100);
  });

  it('lists exactly the open cases under "Open cases"', () => {
    const section = checklist.slice(checklist.indexOf('## Open cases'));
    const listed = [...section.matchAll(/^- ((?:API\d+|GQL)-\d+)$/gm)].map(([, id]) => id);
    expect(listed).toEqual(all.filter((c) => c.proof.startsWith('open:')).map((c) => c.id));
  });

  it('would notice a renamed test, a missing file and an unproven row', () => {
    expect(declaresTest('test/identity.test.ts', 'stores passwords as argon2id hashes')).toBe(true);
    expect(declaresTest('test/identity.test.ts', 'stores passwords in plain text')).toBe(false);
    expect(declaresTest('test/nothing-here.test.ts', 'anything')).toBe(false);
    const sample = cases('| API1-99 | tried | happens | we believe so |\n| API1-98 | tried | happens | manual: needs a human |');
    expect(sample.filter((c) => references(c.proof).length === 0 && !/^(manual|open): \S/.test(c.proof)).map((c) => c.id)).toEqual([
      'API1-99',
    ]);
  });
});
