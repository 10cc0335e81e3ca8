/**
 * The restaurant a field's arguments name, in the schema's two shapes: a `restaurantId` argument,
 * else `input.restaurantId`. Tenancy checks, cache scoping and error reports all read it here.
 */
export function restaurantIdArgument(args: Record<string, unknown>): string | undefined {
  const input = args.input;
  const value =
    args.restaurantId ?? (typeof input === 'object' && input !== null ? (input as Record<string, unknown>).restaurantId : undefined);
  return typeof value === 'string' ? value : undefined;
}
