import { Kind, type SelectionSetNode } from 'graphql';
import type { FragmentMap } from './fragment-graph.js';

/** Fields named `__…` (introspection, `__typename`) are not counted, as in graphql-depth-limit. */
const isIntrospectionField = (name: string) => name.startsWith('__');

/**
 * Depth and expanded size of selection sets, with each fragment measured once: a document whose
 * fragments each spread the next one twice stays linear to measure, where inlining every spread
 * takes exponential time.
 * Only for documents accepted by `walkableFragments` (no unknown spreads, no cycles).
 */
export function createSelectionMeasures(fragments: FragmentMap) {
  const fragmentDepths = new Map<string, number>();
  const fragmentSizes = new Map<string, number>();

  /**
   * Levels of nested selections below this one, as graphql-depth-limit counts them:
   * `{ restaurant { menu { id } } }` has depth 2; fragments add no level of their own.
   */
  function depth(selectionSet: SelectionSetNode): number {
    let deepest = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.selectionSet && !isIntrospectionField(selection.name.value)) {
          deepest = Math.max(deepest, 1 + depth(selection.selectionSet));
        }
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        deepest = Math.max(deepest, depth(selection.selectionSet));
      } else {
        deepest = Math.max(deepest, fragmentMeasure(selection.name.value, fragmentDepths, depth));
      }
    }
    return deepest;
  }

  /** How many selections the document has once every fragment spread is inlined. */
  function size(selectionSet: SelectionSetNode): number {
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) total += 1 + (selection.selectionSet ? size(selection.selectionSet) : 0);
      else if (selection.kind === Kind.INLINE_FRAGMENT) total += 1 + size(selection.selectionSet);
      else total += 1 + fragmentMeasure(selection.name.value, fragmentSizes, size);
    }
    return total;
  }

  function fragmentMeasure(name: string, memo: Map<string, number>, measure: (selectionSet: SelectionSetNode) => number): number {
    let value = memo.get(name);
    if (value === undefined) {
      const fragment = fragments.get(name);
      value = fragment ? measure(fragment.selectionSet) : 0;
      memo.set(name, value);
    }
    return value;
  }

  return { depth, size };
}
