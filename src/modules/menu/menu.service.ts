import { z } from 'zod';
import type { MenuItem } from '../../generated/prisma/client.js';
import type { Db } from '../../infra/db.js';
import { parseInput } from '../../validation/validate.js';

const pageSize = z.number().int().min(1, 'must be at least 1').max(100, 'must be at most 100');

export function createMenuService(deps: { prisma: Db }) {
  return {
    /** All items, available or not, in menu order (category order, then item order). */
    listItems(restaurantId: string, first: number): Promise<MenuItem[]> {
      const take = parseInput(pageSize, first, 'first');
      return deps.prisma.menuItem.findMany({
        where: { restaurantId },
        orderBy: [{ category: { sortOrder: 'asc' } }, { sortOrder: 'asc' }, { name: 'asc' }],
        take,
      });
    },
  };
}

export type MenuService = ReturnType<typeof createMenuService>;
