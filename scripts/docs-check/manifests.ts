import { globSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { CodeFacts } from './code-facts.js';
import type { Problem } from './problem.js';

/** The example Kubernetes manifests set only variables config.ts reads. */
export function checkManifests(root: string, facts: CodeFacts): Problem[] {
  const problems: Problem[] = [];
  for (const file of globSync('deploy/kubernetes/*.{yaml,yml}', { cwd: root }).sort()) {
    for (const document of parseAllDocuments(readFileSync(resolve(root, file), 'utf8'))) {
      if (document.errors.length > 0) {
        problems.push({ where: file, message: `invalid YAML: ${document.errors[0]?.message}` });
        continue;
      }
      for (const name of envNames(document.toJS())) {
        if (!facts.envVars.has(name)) problems.push({ where: file, message: `env \`${name}\` is not read by src/config.ts` });
      }
    }
  }
  return problems;
}

/** Names under every `env:` list of the document. */
function envNames(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(envNames);
  if (!node || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([key, value]) =>
    key === 'env' && Array.isArray(value)
      ? value.map((entry) => (entry as { name?: string }).name).filter((name): name is string => typeof name === 'string')
      : envNames(value),
  );
}
