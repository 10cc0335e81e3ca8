import type { Access, MembershipRole } from '../../auth/access.js';
import { AppError, ErrorCode, NotFoundError } from '../../errors.js';
import type { AdjustInput } from './inventory-inputs.js';

/**
 * Who may adjust stock: any member may record WASTE (the kitchen logs spoilage as it happens, and
 * it can only take stock out); deliveries and counts are for managers and owners. `@auth` checks
 * membership of the item's restaurant (named by `inventoryItemId`) before the input is read; the
 * role depends on the reason, so it is checked here too, with the directive's rules: no access to
 * the restaurant → NOT_FOUND, as for an unknown id; a member without the role → FORBIDDEN.
 */
export async function authorizeAdjustment(access: Access, input: AdjustInput, restaurantId: string | null): Promise<void> {
  const notFound = new NotFoundError('InventoryItem', input.inventoryItemId);
  if (restaurantId === null) throw notFound;
  try {
    await access.authorize({ role: 'STAFF' }, restaurantId);
  } catch (error) {
    if (error instanceof AppError && error.code === ErrorCode.FORBIDDEN) throw notFound;
    throw error;
  }
  const role: MembershipRole = input.reason === 'WASTE' ? 'STAFF' : 'MANAGER';
  if (role !== 'STAFF') await access.authorize({ role }, restaurantId);
}
