import { getDirective, MapperKind, mapSchema } from '@graphql-tools/utils';
import { defaultFieldResolver, type GraphQLFieldResolver, type GraphQLObjectType, getNamedType } from 'graphql';
import type { AccessRequirement, RequiredRole } from '../auth/access.js';
import { restaurantIdArgument } from '../auth/restaurant-argument.js';
import type { GraphQLContext } from '../context.js';
import { AppError, ErrorCode, NotFoundError, UnauthenticatedError, ValidationError } from '../errors.js';
import { assertDirectivesDefined } from './directive-definitions.js';
import type { SchemaTransformer } from './index.js';

/** For each entity type: the id of the restaurant that owns the object with this id, or null. */
export type OwnerLookups = Record<string, (id: string, context: GraphQLContext) => Promise<string | null>>;

type Args = Record<string, unknown>;

const maxIdLength = 64;

/**
 * `@auth` (users, by role) and `@scope` (partner keys, by scope) on fields and types: one access
 * rule, checked before the field resolves. The restaurant whose membership counts is the one the
 * data belongs to, found in this order:
 *  1. a `restaurantId` argument (or `input.restaurantId`): denied → FORBIDDEN;
 *  2. an `id` argument (or `input.id`) of an object of the returned type, through its owner
 *     lookup: missing or denied → NOT_FOUND, so other tenants' ids are indistinguishable from
 *     unknown ones;
 *  3. the parent object: a Restaurant itself, or any object with a `restaurantId`.
 * Without any of these only the kind of caller (and ADMIN) is checked, and the resolver scopes
 * its data to the viewer.
 */
export function authDirectiveTransformer(ownerLookups: OwnerLookups): SchemaTransformer {
  return (schema) => {
    assertDirectivesDefined(schema, 'auth', 'scope');
    return mapSchema(schema, {
      [MapperKind.OBJECT_FIELD]: (fieldConfig, _fieldName, typeName) => {
        const parentType = schema.getType(typeName) as GraphQLObjectType;
        const auth = (getDirective(schema, fieldConfig, 'auth') ?? getDirective(schema, parentType, 'auth'))?.[0];
        const scope = (getDirective(schema, fieldConfig, 'scope') ?? getDirective(schema, parentType, 'scope'))?.[0];
        if (!auth && !scope) return fieldConfig;

        const requirement: AccessRequirement = {
          ...(auth ? { role: auth.requires as RequiredRole } : {}),
          ...(scope ? { scope: scope.requires as string } : {}),
        };
        const returnType = getNamedType(fieldConfig.type).name;
        const authorize = async (source: unknown, args: Args, context: GraphQLContext) => {
          if (context.viewer.kind === 'anonymous') throw new UnauthenticatedError();
          const target = await owningRestaurant(source, args, context, typeName, returnType, ownerLookups);
          try {
            await context.access.authorize(requirement, target.restaurantId);
          } catch (error) {
            if (target.hideAs && error instanceof AppError && error.code === ErrorCode.FORBIDDEN) throw target.hideAs;
            throw error;
          }
        };
        const resolve: GraphQLFieldResolver<unknown, GraphQLContext, Args> = fieldConfig.resolve ?? defaultFieldResolver;
        const { subscribe } = fieldConfig;
        return {
          ...fieldConfig,
          resolve: async (source, args, context, info) => {
            await authorize(source, args, context);
            return resolve(source, args, context, info);
          },
          // Subscriptions are checked when they start, not only when their first event arrives.
          ...(subscribe
            ? {
                subscribe: async (source: unknown, args: Args, context: GraphQLContext, info: Parameters<typeof resolve>[3]) => {
                  await authorize(source, args, context);
                  return subscribe(source, args, context, info);
                },
              }
            : {}),
        };
      },
    });
  };
}

async function owningRestaurant(
  source: unknown,
  args: Args,
  context: GraphQLContext,
  parentTypeName: string,
  returnType: string,
  ownerLookups: OwnerLookups,
): Promise<{ restaurantId: string | undefined; hideAs?: NotFoundError }> {
  const restaurantId = restaurantIdArgument(args);
  if (restaurantId) return { restaurantId };

  const input = isRecord(args.input) ? args.input : {};
  const id = args.id ?? input.id;
  const lookup = ownerLookups[returnType];
  if (typeof id === 'string' && lookup) {
    // Ids are opaque but bounded: an oversized one never reaches the database.
    if (id.length > maxIdLength)
      throw new ValidationError(args.id === undefined ? 'input.id' : 'id', `must be at most ${maxIdLength} characters`);
    const notFound = new NotFoundError(returnType, id);
    const owner = await lookup(id, context);
    if (owner === null) throw notFound;
    return { restaurantId: owner, hideAs: notFound };
  }

  if (isRecord(source)) {
    if (parentTypeName === 'Restaurant' && typeof source.id === 'string') return { restaurantId: source.id };
    if (typeof source.restaurantId === 'string') return { restaurantId: source.restaurantId };
  }
  return { restaurantId: undefined };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
