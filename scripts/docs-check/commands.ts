import { existsSync, globSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CodeFacts } from './code-facts.js';
import type { Doc, Place } from './markdown.js';
import { at, type Problem } from './problem.js';

const shellLanguages = new Set(['sh', 'bash', 'shell', 'console', '']);
/** A repository path: starts with one of the project's source folders (not reports/, which holds generated output). */
const repoPath = /^(?:\.\/)?(?:scripts|deploy|load-test|bench|src|test|prisma|operations|docs|schema|\.ci)\/[\w./*-]*[\w*]$/;

/** Folders .gitignore keeps out of the repository (generated output such as load-test/results/). */
function ignoredFolders(root: string): string[] {
  const gitignore = resolve(root, '.gitignore');
  if (!existsSync(gitignore)) return [];
  return readFileSync(gitignore, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.endsWith('/') && !line.startsWith('#') && !line.startsWith('!'))
    .map((line) => line.replace(/^\//, ''));
}

/**
 * Every `npm run x`, `npm start|test` and repository path quoted in a document must exist; paths under
 * a gitignored folder name output a command writes, so they need not exist yet.
 */
export function checkCommands(root: string, docs: Doc[], facts: CodeFacts): Problem[] {
  const problems: Problem[] = [];
  const ignored = ignoredFolders(root);
  const check = (text: string, place: Place) => {
    for (const [, script] of text.matchAll(/\bnpm run ([\w:.-]+)/g)) {
      if (!facts.npmScripts.has(script as string))
        problems.push({ where: at(place), message: `\`npm run ${script}\` is not a script in package.json` });
    }
    for (const [, script] of text.matchAll(/\bnpm (start|test)\b/g)) {
      if (!facts.npmScripts.has(script as string))
        problems.push({ where: at(place), message: `\`npm ${script}\` is not a script in package.json` });
    }
    for (const token of text.split(/[\s=()'"`,;]+/)) {
      const path = token.replace(/[.:]$/, '');
      if (!repoPath.test(path) || ignored.some((folder) => path.replace(/^\.\//, '').startsWith(folder))) continue;
      const exists = path.includes('*') ? globSync(path, { cwd: root }).length > 0 : existsSync(resolve(root, path));
      if (!exists) problems.push({ where: at(place), message: `file \`${path}\` does not exist` });
    }
  };
  for (const doc of docs) {
    for (const span of doc.spans) check(span.text, span);
    for (const block of doc.blocks) {
      if (!shellLanguages.has(block.lang)) continue;
      block.text.split('\n').forEach((line, index) => {
        check(line, { doc: block.doc, line: block.line + 1 + index });
      });
    }
  }
  return problems;
}
