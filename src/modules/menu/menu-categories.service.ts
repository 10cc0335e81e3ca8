import type { RequestScope } from '../../auth/request-scope.js';
import { ConflictError } from '../../errors.js';
import { type MenuCategory, Prisma } from '../../generated/prisma/client.js';
import type { Db } from '../../infra/db.js';
import { parseInput } from '../../validation/validate.js';
import { recordAudit } from '../audit/audit.service.js';
import { changedFields, createCategoryInput, orderedIds, updateCategoryInput } from './menu-management-inputs.js';
import { assertPermutation, categoryNameTaken, categorySnapshot, lockedCategory } from './menu-rows.js';

/** Menu categories: create, update, delete (only when empty) and put in order, each with its audit row. */
export function createMenuCategoriesService(deps: { prisma: Db }) {
  const { prisma } = deps;

  return {
    async create(rawInput: unknown, scope: RequestScope): Promise<MenuCategory> {
      const input = parseInput(createCategoryInput, rawInput, 'input');
      try {
        return await prisma.$transaction(async (tx) => {
          const last = await tx.menuCategory.aggregate({ where: { restaurantId: input.restaurantId }, _max: { sortOrder: true } });
          const category = await tx.menuCategory.create({
            data: {
              restaurantId: input.restaurantId,
              name: input.name,
              description: input.description ?? null,
              sortOrder: input.sortOrder ?? (last._max.sortOrder ?? -1) + 1,
            },
          });
          await recordAudit(tx, scope, {
            action: 'menuCategory.create',
            entityType: 'MenuCategory',
            entityId: category.id,
            restaurantId: category.restaurantId,
            after: categorySnapshot(category),
          });
          return category;
        });
      } catch (error) {
        throw categoryNameTaken(error, input.name);
      }
    },

    async update(categoryId: string, rawInput: unknown, scope: RequestScope): Promise<MenuCategory> {
      const input = parseInput(updateCategoryInput, rawInput, 'input');
      try {
        return await prisma.$transaction(async (tx) => {
          const before = await lockedCategory(tx, categoryId);
          const category = await tx.menuCategory.update({ where: { id: categoryId }, data: input });
          await recordAudit(tx, scope, {
            action: 'menuCategory.update',
            entityType: 'MenuCategory',
            entityId: category.id,
            restaurantId: category.restaurantId,
            ...changedFields(categorySnapshot(before), categorySnapshot(category)),
          });
          return category;
        });
      } catch (error) {
        throw categoryNameTaken(error, input.name);
      }
    },

    /** Only an empty category: its items would otherwise vanish from the menu, or from past reports. */
    async delete(categoryId: string, scope: RequestScope): Promise<MenuCategory> {
      const refuse = (items: number) =>
        new ConflictError(`Menu category "${categoryId}" still has ${items} item(s): move or delete them first.`, { items });
      try {
        return await prisma.$transaction(async (tx) => {
          const category = await lockedCategory(tx, categoryId, { forDelete: true });
          const items = await tx.menuItem.count({ where: { categoryId } });
          if (items > 0) throw refuse(items);
          await tx.menuCategory.delete({ where: { id: categoryId } });
          await recordAudit(tx, scope, {
            action: 'menuCategory.delete',
            entityType: 'MenuCategory',
            entityId: category.id,
            restaurantId: category.restaurantId,
            before: categorySnapshot(category),
          });
          return category;
        });
      } catch (error) {
        // An item added concurrently: the foreign key refuses the delete (P2003 from PostgreSQL;
        // PGlite reports RESTRICT as a plain database error), so ask the table rather than the code.
        if (error instanceof Prisma.PrismaClientKnownRequestError) {
          const items = await prisma.menuItem.count({ where: { categoryId } });
          if (items > 0) throw refuse(items);
        }
        throw error;
      }
    },

    async reorder(restaurantId: string, rawIds: unknown, scope: RequestScope): Promise<MenuCategory[]> {
      const ids = parseInput(orderedIds, rawIds, 'categoryIds');
      return prisma.$transaction(async (tx) => {
        // Two reorders of one restaurant run one after the other, never interleaving their updates.
        await tx.$queryRaw`SELECT 1 FROM "Restaurant" WHERE id = ${restaurantId} FOR NO KEY UPDATE`;
        const before = await tx.menuCategory.findMany({ where: { restaurantId }, orderBy: [{ sortOrder: 'asc' }, { name: 'asc' }] });
        assertPermutation(ids, before, 'categoryIds', "the restaurant's menu categories");
        for (const [sortOrder, id] of ids.entries()) await tx.menuCategory.update({ where: { id }, data: { sortOrder } });
        await recordAudit(tx, scope, {
          action: 'menuCategory.reorder',
          entityType: 'Restaurant',
          entityId: restaurantId,
          restaurantId,
          before: { categoryIds: before.map((category) => category.id) },
          after: { categoryIds: ids },
        });
        return tx.menuCategory.findMany({ where: { restaurantId }, orderBy: [{ sortOrder: 'asc' }, { name: 'asc' }] });
      });
    },
  };
}
