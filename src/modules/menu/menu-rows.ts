import { ConflictError, NotFoundError, ValidationError } from '../../errors.js';
import { type MenuCategory, type MenuItem, Prisma } from '../../generated/prisma/client.js';
import type { Tx } from '../../infra/db.js';
import { isUniqueViolation, mapPrismaError } from '../../infra/prisma-errors.js';

/** What the audit log keeps of a category. */
export const categorySnapshot = (category: MenuCategory) => ({
  name: category.name,
  description: category.description,
  sortOrder: category.sortOrder,
});

/** What the audit log keeps of an item: the price with its currency. */
export const itemSnapshot = (item: MenuItem) => ({
  name: item.name,
  description: item.description,
  priceAmount: item.priceAmount,
  currency: item.currency,
  categoryId: item.categoryId,
  available: item.available,
  sortOrder: item.sortOrder,
});

export const isForeignKeyViolation = (error: unknown) => error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2003';

export function categoryNameTaken(error: unknown, name: string | undefined): unknown {
  if (isUniqueViolation(error)) return new ConflictError(`A menu category named "${name}" already exists.`, { field: 'input.name' });
  return mapPrismaError(error, 'MenuCategory');
}

/**
 * Locks the row for the rest of the transaction, so the audit's "before" is what the change
 * replaced. A change takes NO KEY UPDATE, which lets orders and recipes keep referencing the row;
 * a delete takes UPDATE, which also holds off new references until it commits.
 */
export async function lockedItem(tx: Tx, menuItemId: string, options: { forDelete?: boolean } = {}): Promise<MenuItem> {
  if (options.forDelete) await tx.$queryRaw`SELECT 1 FROM "MenuItem" WHERE id = ${menuItemId} FOR UPDATE`;
  else await tx.$queryRaw`SELECT 1 FROM "MenuItem" WHERE id = ${menuItemId} FOR NO KEY UPDATE`;
  const item = await tx.menuItem.findUnique({ where: { id: menuItemId } });
  if (!item) throw new NotFoundError('MenuItem', menuItemId);
  return item;
}

/** As `lockedItem`, for a category: a delete's lock makes its "no items" check hold until commit. */
export async function lockedCategory(tx: Tx, categoryId: string, options: { forDelete?: boolean } = {}): Promise<MenuCategory> {
  if (options.forDelete) await tx.$queryRaw`SELECT 1 FROM "MenuCategory" WHERE id = ${categoryId} FOR UPDATE`;
  else await tx.$queryRaw`SELECT 1 FROM "MenuCategory" WHERE id = ${categoryId} FOR NO KEY UPDATE`;
  const category = await tx.menuCategory.findUnique({ where: { id: categoryId } });
  if (!category) throw new NotFoundError('MenuCategory', categoryId);
  return category;
}

/** A concurrent delete won: the category the item was about to reference is gone. */
export function categoryGone(error: unknown, categoryId: string | undefined): unknown {
  if (isForeignKeyViolation(error))
    return new ValidationError('input.categoryId', `Menu category "${categoryId}" is not on this restaurant's menu.`);
  return error;
}

/** A category of `restaurantId`, or BAD_USER_INPUT on `field`: another restaurant's looks like an unknown one. */
export async function categoryOf(tx: Tx, restaurantId: string, categoryId: string, field: string): Promise<MenuCategory> {
  const category = await tx.menuCategory.findFirst({ where: { id: categoryId, restaurantId } });
  if (!category) throw new ValidationError(field, `Menu category "${categoryId}" is not on this restaurant's menu.`);
  return category;
}

/** `ids` must name each of `existing` exactly once; otherwise BAD_USER_INPUT on the first offending index. */
export function assertPermutation(ids: readonly string[], existing: ReadonlyArray<{ id: string }>, field: string, what: string): void {
  const known = new Set(existing.map((row) => row.id));
  const stranger = ids.findIndex((value) => !known.has(value));
  if (stranger >= 0) throw new ValidationError(`${field}.${stranger}`, `"${ids[stranger]}" is not one of ${what}.`);
  const given = new Set(ids);
  const missing = existing.filter((row) => !given.has(row.id)).map((row) => row.id);
  if (missing.length > 0)
    throw new ValidationError(field, `Invalid ${field}: must name every one of ${what}; missing ${missing.join(', ')}.`);
}
