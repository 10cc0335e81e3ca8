import type { ValidationRule } from 'graphql';
import type { Config } from '../../config.js';
import { createAliasLimitRule } from './alias-limit.rule.js';
import { createDepthLimitRule } from './depth-limit.rule.js';
import { createDirectiveLimitRule } from './directive-limit.rule.js';
import { createRootFieldLimitRule } from './root-field-limit.rule.js';

export { QueryLimitError } from './query-limit-error.js';
export { createQueryLimitsPlugin } from './query-limits.plugin.js';

/** maxDepth, maxCost, maxListSize, maxAliases, maxRootFields, maxDirectives, maxTokens, maxDocumentBytes. */
export type QueryLimits = Config['queryLimits'];

/**
 * The limits a validation rule can check on the document alone: depth, aliases, root fields and
 * directives. Each rejects with its own code and `{ measured, limit }` (the plugin keeps the code
 * from being replaced by GRAPHQL_VALIDATION_FAILED, so use both together). Size, tokens and cost
 * are in `createQueryLimitsPlugin`.
 */
export function createQueryLimitRules(limits: QueryLimits): ValidationRule[] {
  return [
    createDepthLimitRule(limits.maxDepth),
    createAliasLimitRule(limits.maxAliases),
    createRootFieldLimitRule(limits.maxRootFields),
    createDirectiveLimitRule(limits.maxDirectives),
  ];
}
