import {
  type GraphQLField,
  type GraphQLFieldConfig,
  type GraphQLInputType,
  type GraphQLObjectType,
  getNamedType,
  isInputObjectType,
} from 'graphql';
import type { TenancyDeclaration } from '../../modules/module.js';

/**
 * Where a guarded field finds the restaurant whose membership counts, decided once when the schema
 * is built:
 * - `argument`: a `restaurantId` argument or `input.restaurantId`;
 * - `id`: an `id` argument (or `input.id`) of the returned entity type, or an `<entity>Id` argument
 *   (or input field) of any entity type, through that type's owner lookup;
 * - `parent`: the object the field is on: a Restaurant (its `id`), or a row that carries its `restaurantId`;
 * - `viewer` / `service`: declared by the module (the caller's own data; the service checks);
 * - `platform`: platform administrators only, no restaurant involved.
 */
export type TenantSource =
  | { kind: 'argument'; optional: boolean }
  | { kind: 'id'; entity: string; path: string }
  | { kind: 'parent'; key: 'id' | 'restaurantId' }
  | { kind: 'viewer' | 'service' | 'platform' };

export interface TenancyRules {
  /** Entity types with an owner lookup: an id of one names its restaurant. */
  entityTypes: ReadonlySet<string>;
  /** Types whose rows carry their `restaurantId` (entity types among them). */
  restaurantRowTypes: ReadonlySet<string>;
  /** Field coordinate → declaration, for fields with none of the sources above. */
  declarations: Readonly<Record<string, TenancyDeclaration>>;
}

type AnyField = GraphQLField<unknown, unknown> | GraphQLFieldConfig<unknown, unknown>;

/** The argument (or input field) named `name`, and whether it may be left out. */
function argumentOrInputField(field: AnyField, name: string): { path: string; optional: boolean } | undefined {
  const args =
    'args' in field && Array.isArray(field.args) ? field.args : Object.entries(field.args ?? {}).map(([n, a]) => ({ ...a, name: n }));
  const direct = args.find((arg) => arg.name === name);
  if (direct) return { path: name, optional: !isRequired(direct.type) };
  const input = args.find((arg) => arg.name === 'input');
  const inputType = input && getNamedType(input.type);
  const inputField = input && isInputObjectType(inputType) ? inputType.getFields()[name] : undefined;
  if (input && inputField) return { path: `input.${name}`, optional: !isRequired(input.type) || !isRequired(inputField.type) };
  return undefined;
}

function isRequired(type: GraphQLInputType): boolean {
  return type.toString().endsWith('!');
}

/**
 * The tenant source of a guarded field, or an Error naming the field: a field that can't say whose
 * data it touches would otherwise let any signed-in caller through, so it stops start-up.
 */
export function tenantSourceOf(
  parent: GraphQLObjectType,
  fieldName: string,
  field: AnyField,
  requirement: { role?: string; scope?: string },
  rules: TenancyRules,
): TenantSource | Error {
  const coordinate = `${parent.name}.${fieldName}`;
  const declared = rules.declarations[coordinate];
  const natural = naturalSource(parent, field, requirement, rules);
  if (natural && declared)
    return new Error(`Tenancy of ${coordinate} is declared "${declared}" but the field is already scoped by its ${natural.kind}.`);
  if (natural) return natural;
  if (declared) return { kind: declared };
  return new Error(
    `${coordinate} is guarded by @auth/@scope but names no restaurant: give it a restaurantId argument, an id of an entity ` +
      'with an owner lookup, put it on such an entity, or declare its tenancy in its module ("viewer" or "service").',
  );
}

function naturalSource(
  parent: GraphQLObjectType,
  field: AnyField,
  requirement: { role?: string; scope?: string },
  rules: TenancyRules,
): TenantSource | undefined {
  const restaurant = argumentOrInputField(field, 'restaurantId');
  if (restaurant) return { kind: 'argument', optional: restaurant.optional };
  const entity = getNamedType(field.type).name;
  const id = argumentOrInputField(field, 'id');
  if (id && !id.optional && rules.entityTypes.has(entity)) return { kind: 'id', entity, path: id.path };
  for (const owned of rules.entityTypes) {
    const reference = argumentOrInputField(field, `${owned[0]?.toLowerCase()}${owned.slice(1)}Id`);
    if (reference && !reference.optional) return { kind: 'id', entity: owned, path: reference.path };
  }
  if (parent.name === 'Restaurant') return { kind: 'parent', key: 'id' };
  if (rules.restaurantRowTypes.has(parent.name)) return { kind: 'parent', key: 'restaurantId' };
  if (requirement.role === 'ADMIN' && !requirement.scope) return { kind: 'platform' };
  return undefined;
}
