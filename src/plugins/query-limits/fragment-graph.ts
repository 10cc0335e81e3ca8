import { type DocumentNode, type FragmentDefinitionNode, Kind, visit } from 'graphql';

export type FragmentMap = ReadonlyMap<string, FragmentDefinitionNode>;

/**
 * The document's fragments by name, or null when following its spreads could go wrong: a spread
 * of an unknown fragment, two fragments with one name, or fragments that spread each other in a
 * cycle. graphql's own rules (KnownFragmentNames, UniqueFragmentNames, NoFragmentCycles) report
 * those as GRAPHQL_VALIDATION_FAILED, so the limit rules skip such documents instead of walking
 * them (an unguarded walk throws or never ends).
 */
export function walkableFragments(document: DocumentNode): FragmentMap | null {
  const fragments = new Map<string, FragmentDefinitionNode>();
  const spreadsOf = new Map<string, string[]>();
  const spreadNames: string[] = [];
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) {
      if (fragments.has(definition.name.value)) return null;
      fragments.set(definition.name.value, definition);
    }
    // graphql's visit is iterative: a deeply nested document cannot overflow the stack here.
    const spreads: string[] = [];
    visit(definition, { FragmentSpread: (node) => void spreads.push(node.name.value) });
    if (definition.kind === Kind.FRAGMENT_DEFINITION) spreadsOf.set(definition.name.value, spreads);
    spreadNames.push(...spreads);
  }
  if (spreadNames.some((name) => !fragments.has(name))) return null;
  return hasCycle(spreadsOf) ? null : fragments;
}

/** Depth-first search with an explicit stack: a long fragment chain cannot overflow the call stack. */
function hasCycle(spreadsOf: ReadonlyMap<string, string[]>): boolean {
  const state = new Map<string, 'open' | 'done'>();
  for (const start of spreadsOf.keys()) {
    if (state.has(start)) continue;
    state.set(start, 'open');
    const stack = [{ name: start, next: 0 }];
    for (let top = stack.at(-1); top; top = stack.at(-1)) {
      const target = spreadsOf.get(top.name)?.[top.next++];
      if (target === undefined) {
        state.set(top.name, 'done');
        stack.pop();
      } else if (state.get(target) === 'open') {
        return true;
      } else if (!state.has(target)) {
        state.set(target, 'open');
        stack.push({ name: target, next: 0 });
      }
    }
  }
  return false;
}
