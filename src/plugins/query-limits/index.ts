import type { ApolloServerPlugin } from '@apollo/server';
import type { ValidationRule } from 'graphql';
import type { Config } from '../../config.js';
import type { GraphQLContext } from '../../context.js';

export type QueryLimits = Config['queryLimits'];

// PLACEHOLDER being replaced by the query-limits work in progress.
export function createQueryLimitRules(_limits: QueryLimits): ValidationRule[] {
  return [];
}

export function createQueryLimitsPlugin(_limits: QueryLimits): ApolloServerPlugin<GraphQLContext> {
  return {};
}
