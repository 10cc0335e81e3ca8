import type { RequestScope } from '../../auth/request-scope.js';
import { ValidationError } from '../../errors.js';
import type { MenuItem, MenuItemIngredient } from '../../generated/prisma/client.js';
import type { Db } from '../../infra/db.js';
import { parseInput } from '../../validation/validate.js';
import { recordAudit } from '../audit/audit.service.js';
import { recipeInput } from './menu-management-inputs.js';
import { lockedItem } from './menu-rows.js';

const recipeSnapshot = (lines: ReadonlyArray<Pick<MenuItemIngredient, 'inventoryItemId' | 'quantity'>>) =>
  lines.map((line) => ({ inventoryItemId: line.inventoryItemId, quantity: line.quantity.toFixed() }));

/** Recipes: what one portion of a menu item takes from stock (orders use them to take stock). */
export function createMenuRecipesService(deps: { prisma: Db }) {
  const { prisma } = deps;

  return {
    /**
     * Replaces the whole recipe. Inventory items of another restaurant are refused exactly like
     * unknown ones, with the field path of the line, so nothing about them leaks.
     */
    async setRecipe(menuItemId: string, rawIngredients: unknown, scope: RequestScope): Promise<MenuItem> {
      const lines = parseInput(recipeInput, rawIngredients, 'ingredients');
      return prisma.$transaction(async (tx) => {
        const menuItem = await lockedItem(tx, menuItemId);
        const before = await tx.menuItemIngredient.findMany({ where: { menuItemId }, orderBy: { id: 'asc' } });
        const stock = await tx.inventoryItem.findMany({
          where: { id: { in: lines.map((line) => line.inventoryItemId) }, restaurantId: menuItem.restaurantId },
          select: { id: true },
        });
        const known = new Set(stock.map((row) => row.id));
        for (const [index, line] of lines.entries()) {
          if (!known.has(line.inventoryItemId)) {
            throw new ValidationError(
              `ingredients.${index}.inventoryItemId`,
              `Inventory item "${line.inventoryItemId}" is not in this restaurant's inventory.`,
            );
          }
        }
        await tx.menuItemIngredient.deleteMany({ where: { menuItemId } });
        await tx.menuItemIngredient.createMany({
          data: lines.map((line) => ({ menuItemId, inventoryItemId: line.inventoryItemId, quantity: line.quantity })),
        });
        await recordAudit(tx, scope, {
          action: 'menuItem.recipe',
          entityType: 'MenuItem',
          entityId: menuItemId,
          restaurantId: menuItem.restaurantId,
          before: { ingredients: recipeSnapshot(before) },
          after: { ingredients: recipeSnapshot(lines) },
        });
        return menuItem;
      });
    },
  };
}

export type MenuRecipesService = ReturnType<typeof createMenuRecipesService>;
