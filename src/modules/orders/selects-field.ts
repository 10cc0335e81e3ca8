import { type FieldNode, type GraphQLResolveInfo, Kind, type SelectionSetNode } from 'graphql';

/**
 * Whether the resolved field's selection asks for the field at `path` (each step directly, aliased, or
 * inside fragments), so a resolver can skip work nobody asked for, or read ahead what will be asked.
 * Conservative: `@skip`/`@include` count as selected.
 */
export function selectsField(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>, ...path: [string, ...string[]]): boolean {
  const fieldsNamed = (selectionSet: SelectionSetNode | undefined, name: string, visited: Set<string>): FieldNode[] =>
    (selectionSet?.selections ?? []).flatMap((selection) => {
      if (selection.kind === Kind.FIELD) return selection.name.value === name ? [selection] : [];
      if (selection.kind === Kind.INLINE_FRAGMENT) return fieldsNamed(selection.selectionSet, name, visited);
      const fragmentName = selection.name.value;
      if (visited.has(fragmentName)) return [];
      visited.add(fragmentName);
      return fieldsNamed(info.fragments[fragmentName]?.selectionSet, name, visited);
    });
  let fields: readonly FieldNode[] = info.fieldNodes;
  for (const name of path) {
    const visited = new Set<string>();
    fields = fields.flatMap((field) => fieldsNamed(field.selectionSet, name, visited));
    if (fields.length === 0) return false;
  }
  return true;
}
