import type { RequestScope } from '../../auth/request-scope.js';
import type { MenuCategory, MenuItem } from '../../generated/prisma/client.js';
import type { Db } from '../../infra/db.js';
import { parseInput } from '../../validation/validate.js';
import { recordAudit } from '../audit/audit.service.js';
import { changedFields, createItemInput, orderedIds, updateItemInput } from './menu-management-inputs.js';
import { assertPermutation, categoryGone, categoryOf, itemSnapshot, lockedCategory, lockedItem } from './menu-rows.js';

/**
 * Menu items: create, update, delete, availability and order within a category. Prices are in the
 * restaurant's currency; a price change is audited with the price before and after.
 */
export function createMenuItemsService(deps: { prisma: Db }) {
  const { prisma } = deps;

  return {
    async create(rawInput: unknown, scope: RequestScope): Promise<MenuItem> {
      const input = parseInput(createItemInput, rawInput, 'input');
      const created = prisma.$transaction(async (tx) => {
        const category = await categoryOf(tx, input.restaurantId, input.categoryId, 'input.categoryId');
        const restaurant = await tx.restaurant.findUniqueOrThrow({ where: { id: input.restaurantId } });
        const last = await tx.menuItem.aggregate({ where: { categoryId: category.id }, _max: { sortOrder: true } });
        const item = await tx.menuItem.create({
          data: {
            restaurantId: restaurant.id,
            categoryId: category.id,
            name: input.name,
            description: input.description ?? null,
            priceAmount: input.priceAmount,
            currency: restaurant.currency,
            available: input.available ?? true,
            sortOrder: input.sortOrder ?? (last._max.sortOrder ?? -1) + 1,
          },
        });
        await recordAudit(tx, scope, {
          action: 'menuItem.create',
          entityType: 'MenuItem',
          entityId: item.id,
          restaurantId: item.restaurantId,
          after: itemSnapshot(item),
        });
        return item;
      });
      return created.catch((error: unknown) => {
        throw categoryGone(error, input.categoryId);
      });
    },

    /** A price change is audited as priceAmount before → after, with the currency. */
    async update(menuItemId: string, rawInput: unknown, scope: RequestScope): Promise<MenuItem> {
      const input = parseInput(updateItemInput, rawInput, 'input');
      const updated = prisma.$transaction(async (tx) => {
        const before = await lockedItem(tx, menuItemId);
        if (input.categoryId !== undefined) await categoryOf(tx, before.restaurantId, input.categoryId, 'input.categoryId');
        const item = await tx.menuItem.update({ where: { id: menuItemId }, data: input });
        const changes = changedFields(itemSnapshot(before), itemSnapshot(item));
        if ('priceAmount' in changes.after) {
          changes.before.currency = before.currency;
          changes.after.currency = item.currency;
        }
        await recordAudit(tx, scope, {
          action: 'menuItem.update',
          entityType: 'MenuItem',
          entityId: item.id,
          restaurantId: item.restaurantId,
          ...changes,
        });
        return item;
      });
      return updated.catch((error: unknown) => {
        throw categoryGone(error, input.categoryId);
      });
    },

    /** Deletes the item and its recipe; order lines keep their copied name and price. */
    async delete(menuItemId: string, scope: RequestScope): Promise<MenuItem> {
      return prisma.$transaction(async (tx) => {
        const item = await lockedItem(tx, menuItemId, { forDelete: true });
        await tx.menuItem.delete({ where: { id: menuItemId } });
        await recordAudit(tx, scope, {
          action: 'menuItem.delete',
          entityType: 'MenuItem',
          entityId: item.id,
          restaurantId: item.restaurantId,
          before: itemSnapshot(item),
        });
        return item;
      });
    },

    async setAvailability(menuItemId: string, available: boolean, scope: RequestScope): Promise<MenuItem> {
      return prisma.$transaction(async (tx) => {
        const before = await lockedItem(tx, menuItemId);
        const item = await tx.menuItem.update({ where: { id: menuItemId }, data: { available } });
        await recordAudit(tx, scope, {
          action: 'menuItem.availability',
          entityType: 'MenuItem',
          entityId: item.id,
          restaurantId: item.restaurantId,
          before: { available: before.available },
          after: { available: item.available },
        });
        return item;
      });
    },

    async reorder(categoryId: string, rawIds: unknown, scope: RequestScope): Promise<MenuCategory> {
      const ids = parseInput(orderedIds, rawIds, 'itemIds');
      return prisma.$transaction(async (tx) => {
        // The category's lock serializes reorders of the same category.
        const category = await lockedCategory(tx, categoryId);
        const before = await tx.menuItem.findMany({ where: { categoryId }, orderBy: [{ sortOrder: 'asc' }, { name: 'asc' }] });
        assertPermutation(ids, before, 'itemIds', `the items of menu category "${category.name}"`);
        for (const [sortOrder, id] of ids.entries()) await tx.menuItem.update({ where: { id }, data: { sortOrder } });
        await recordAudit(tx, scope, {
          action: 'menuCategory.reorderItems',
          entityType: 'MenuCategory',
          entityId: category.id,
          restaurantId: category.restaurantId,
          before: { itemIds: before.map((item) => item.id) },
          after: { itemIds: ids },
        });
        return category;
      });
    },
  };
}
