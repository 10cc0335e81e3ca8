import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import { Prisma } from '../generated/prisma/client.js';

/** The one place Prisma's error codes become API errors. */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}

/** Maps a known Prisma error to its API error; anything else is returned as it is (a bug). */
export function mapPrismaError(error: unknown, entity = 'Record'): unknown {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return error;
  switch (error.code) {
    case 'P2002':
      return new ConflictError(`${entity} conflicts with an existing one.`, { target: error.meta?.target });
    case 'P2025':
      return new NotFoundError(entity, String(error.meta?.cause ?? 'unknown'));
    case 'P2003':
      return new ValidationError(String(error.meta?.field_name ?? 'input'), `${entity} refers to something that does not exist.`);
    default:
      return error;
  }
}
