import { getDirective, MapperKind, mapSchema } from '@graphql-tools/utils';
import { defaultFieldResolver, type GraphQLFieldResolver, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { type AccessRequirement, notRestaurantScoped, type RequiredRole, type TenantRestaurant } from '../auth/access.js';
import type { GraphQLContext } from '../context.js';
import { AppError, ErrorCode, ForbiddenError, NotFoundError, UnauthenticatedError, ValidationError } from '../errors.js';
import type { TenancyDeclaration } from '../modules/module.js';
import { assertDirectivesDefined } from './directive-definitions.js';
import type { SchemaTransformer } from './index.js';
import { type TenantSource, tenantSourceOf } from './tenancy/tenant-source.js';

type Args = Record<string, unknown>;

const maxIdLength = 64;

/** The restaurant owning an entity's object by id (null: none), read through the request's loaders. */
export interface OwnerLookup {
  owner(id: string, context: GraphQLContext): Promise<string | null>;
  /** Drops the memoised read, so what the resolver returns is read after its write. */
  forget(id: string, context: GraphQLContext): void;
}

export interface TenancyOptions {
  ownerLookups: Readonly<Record<string, OwnerLookup>>;
  /** Types whose rows carry their `restaurantId` (every owner-lookup type among them). */
  restaurantRowTypes: readonly string[];
  declarations: Readonly<Record<string, TenancyDeclaration>>;
}

/** A guarded field: what it requires, and where its restaurant comes from. */
export interface GuardedField {
  parent: string;
  field: string;
  requirement: AccessRequirement;
  source: TenantSource;
}

/**
 * Every `@auth`/`@scope` field of the schema with its tenant source (see tenant-source.ts). Throws,
 * naming every field at once, when any guarded field has no source or a declaration is stale: tenancy
 * is closed by default, and a gap stops start-up instead of letting any signed-in caller through.
 */
export function guardedFields(schema: GraphQLSchema, options: TenancyOptions): GuardedField[] {
  const rules = {
    entityTypes: new Set(Object.keys(options.ownerLookups)),
    restaurantRowTypes: new Set(options.restaurantRowTypes),
    declarations: options.declarations,
  };
  const guarded: GuardedField[] = [];
  const problems: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || !('getFields' in type) || !('getInterfaces' in type)) continue;
    const parent = type as GraphQLObjectType;
    for (const [name, field] of Object.entries(parent.getFields())) {
      const requirement = requirementOf(schema, parent, field.astNode ? field : undefined);
      if (!requirement) continue;
      const source = tenantSourceOf(parent, name, field, requirement, rules);
      if (source instanceof Error) problems.push(source.message);
      else guarded.push({ parent: parent.name, field: name, requirement, source });
    }
  }
  const coordinates = new Set(guarded.map((field) => `${field.parent}.${field.field}`));
  for (const coordinate of Object.keys(options.declarations)) {
    if (!coordinates.has(coordinate)) problems.push(`Tenancy is declared for ${coordinate}, which is not a guarded field.`);
  }
  if (problems.length) throw new Error(`Tenancy is not closed:\n- ${problems.join('\n- ')}`);
  return guarded;
}

function requirementOf(schema: GraphQLSchema, parent: GraphQLObjectType, field: Parameters<typeof getDirective>[1] | undefined) {
  if (!field) return undefined;
  const auth = (getDirective(schema, field, 'auth') ?? getDirective(schema, parent, 'auth'))?.[0];
  const scope = (getDirective(schema, field, 'scope') ?? getDirective(schema, parent, 'scope'))?.[0];
  if (!auth && !scope) return undefined;
  const requirement: AccessRequirement = {
    ...(auth ? { role: auth.requires as RequiredRole } : {}),
    ...(scope ? { scope: scope.requires as string } : {}),
  };
  return requirement;
}

/**
 * `@auth` (users, by role) and `@scope` (partner keys, by scope) on fields and types: one access
 * rule, checked before the field resolves (and when a subscription starts), against the restaurant
 * its tenant source names. Other tenants' ids answer NOT_FOUND, exactly like unknown ones; a
 * restaurant argument the caller may not use answers FORBIDDEN.
 */
export function authDirectiveTransformer(options: TenancyOptions): SchemaTransformer {
  return (schema) => {
    assertDirectivesDefined(schema, 'auth', 'scope');
    const sources = new Map(guardedFields(schema, options).map((guarded) => [`${guarded.parent}.${guarded.field}`, guarded]));
    return mapSchema(schema, {
      [MapperKind.OBJECT_FIELD]: (fieldConfig, fieldName, typeName) => {
        const guarded = sources.get(`${typeName}.${fieldName}`);
        if (!guarded) return fieldConfig;
        const authorize = async (source: unknown, args: Args, context: GraphQLContext) => {
          if (context.viewer.kind === 'anonymous') throw new UnauthenticatedError();
          const target = await owningRestaurant(guarded.source, source, args, context, options.ownerLookups);
          // A mutation changes the object it names: its result must not come from the read made here.
          if (typeName === 'Mutation') target.forget?.();
          try {
            await context.access.authorize(guarded.requirement, target.restaurantId);
          } catch (error) {
            if (target.hideAs && error instanceof AppError && error.code === ErrorCode.FORBIDDEN) throw target.hideAs;
            throw error;
          }
        };
        const resolve: GraphQLFieldResolver<unknown, GraphQLContext, Args> = fieldConfig.resolve ?? defaultFieldResolver;
        const { subscribe } = fieldConfig;
        return {
          ...fieldConfig,
          resolve: (source, args, context, info) => {
            // The same rule for the same restaurant, already let through in this request (every field of
            // every order of a page): resolved at once, without a promise per field.
            if (guarded.source.kind === 'parent' && isRecord(source)) {
              const restaurantId = source[guarded.source.key];
              if (typeof restaurantId === 'string' && context.access.granted(guarded.requirement, restaurantId))
                return resolve(source, args, context, info);
            }
            return authorize(source, args, context).then(() => resolve(source, args, context, info));
          },
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

/** The restaurant the field's source names; anything it cannot name is refused, never let through. */
async function owningRestaurant(
  tenant: TenantSource,
  source: unknown,
  args: Args,
  context: GraphQLContext,
  ownerLookups: TenancyOptions['ownerLookups'],
): Promise<{ restaurantId: TenantRestaurant; hideAs?: NotFoundError; forget?: () => void }> {
  switch (tenant.kind) {
    case 'argument': {
      const restaurantId = args.restaurantId ?? (isRecord(args.input) ? args.input.restaurantId : undefined);
      if (typeof restaurantId !== 'string') throw new ValidationError('restaurantId', 'is required');
      return { restaurantId };
    }
    case 'id': {
      const [first = '', second] = tenant.path.split('.');
      const id = second === undefined ? args[first] : isRecord(args[first]) ? args[first][second] : undefined;
      if (typeof id !== 'string') throw new ValidationError(tenant.path, 'is required');
      // Ids are opaque but bounded: an oversized one never reaches the database.
      if (id.length > maxIdLength) throw new ValidationError(tenant.path, `must be at most ${maxIdLength} characters`);
      const notFound = new NotFoundError(tenant.entity, id);
      const lookup = ownerLookups[tenant.entity];
      const owner = lookup ? await lookup.owner(id, context) : null;
      if (owner === null) throw notFound;
      return { restaurantId: owner, hideAs: notFound, forget: () => lookup?.forget(id, context) };
    }
    case 'parent': {
      const restaurantId = isRecord(source) ? source[tenant.key] : undefined;
      if (typeof restaurantId === 'string') return { restaurantId };
      // An object that can't say whose it is is nobody's to read.
      throw new ForbiddenError();
    }
    default:
      return { restaurantId: notRestaurantScoped };
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
