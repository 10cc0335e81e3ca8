import { z } from 'zod';
import { Prisma } from '../../generated/prisma/client.js';

/**
 * Stock quantities are DECIMAL(12, 3): at most 9 digits before the point and 3 after. Checked
 * here, so a value the column cannot hold is BAD_USER_INPUT with its field path, not a database error.
 */
const storable = /^-?\d{1,9}(\.\d{1,3})?$/;

/** The largest quantity a stock column holds. */
export const maxQuantity = new Prisma.Decimal('999999999.999');

/** A Decimal scalar's string (already normalized by the scalar) as an exact Prisma.Decimal. */
export const decimal = z
  .string()
  .regex(storable, { message: 'must have at most 9 digits before the point and 3 after', abort: true })
  .transform((value) => new Prisma.Decimal(value));

export const nonNegativeDecimal = decimal.refine((value) => !value.isNegative(), 'must not be negative');

export const positiveDecimal = decimal.refine((value) => value.greaterThan(0), 'must be greater than 0');
