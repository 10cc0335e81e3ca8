import type { CodeFacts } from './code-facts.js';
import { checkCommands } from './commands.js';
import { checkGraphqlOperations } from './graphql-operations.js';
import { checkLinks } from './links.js';
import { checkManifests } from './manifests.js';
import { type Doc, handbookPaths, readDoc } from './markdown.js';
import { checkNames } from './names.js';
import type { Problem } from './problem.js';

export { collectCodeFacts } from './code-facts.js';
export { formatProblems, type Problem } from './problem.js';

/** Reads the handbook (README.md and docs/**.md, not the generated API.md). */
export function readHandbook(root: string): Doc[] {
  return handbookPaths(root).map((path) => readDoc(root, path));
}

/** Every check over the handbook; an empty list means the documents are true to the code. */
export function checkHandbook(root: string, docs: Doc[], facts: CodeFacts): Problem[] {
  return [
    ...checkNames(docs, facts),
    ...checkCommands(root, docs, facts),
    ...checkGraphqlOperations(docs, facts),
    ...checkLinks(root, docs),
    ...checkManifests(root, facts),
  ];
}
