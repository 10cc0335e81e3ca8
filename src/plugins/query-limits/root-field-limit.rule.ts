import { Kind, type SelectionSetNode, type ValidationContext, type ValidationRule } from 'graphql';
import { ErrorCode } from '../../errors.js';
import { QueryLimitError } from './query-limit-error.js';

/**
 * Rejects operations selecting more than `maxRootFields` root fields with ROOT_FIELD_LIMIT_EXCEEDED
 * ({ measured, limit }). Each root field is an entry point that starts its own resolver tree. Fields
 * are counted by response key (alias or name) after inlining fragments, because that is what runs:
 * `{ a: menu b: menu }` runs twice, `{ menu menu }` once.
 */
export function createRootFieldLimitRule(maxRootFields: number): ValidationRule {
  return (context) => ({
    OperationDefinition(operation) {
      const rootFields = responseKeys(operation.selectionSet, context).size;
      if (rootFields <= maxRootFields) return;
      context.reportError(
        new QueryLimitError(
          ErrorCode.ROOT_FIELD_LIMIT_EXCEEDED,
          `Operation has ${rootFields} root fields, more than the maximum of ${maxRootFields}.`,
          { measured: rootFields, limit: maxRootFields },
        ),
      );
    },
  });
}

/** Each fragment is followed once: unknown and cyclic fragments are graphql's own rules' business. */
function responseKeys(selectionSet: SelectionSetNode, context: ValidationContext, keys = new Set<string>(), seen = new Set<string>()) {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      keys.add(selection.alias?.value ?? selection.name.value);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      responseKeys(selection.selectionSet, context, keys, seen);
    } else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      const fragment = context.getFragment(selection.name.value);
      if (fragment) responseKeys(fragment.selectionSet, context, keys, seen);
    }
  }
  return keys;
}
