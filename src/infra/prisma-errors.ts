import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import { Prisma } from '../generated/prisma/client.js';

/** The one place Prisma's error codes become API errors. */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}

/** The driver adapter's name for what went wrong (`ForeignKeyConstraintViolation`, `DatabaseNotReachable`…), if it said. */
function adapterErrorKind(error: Prisma.PrismaClientKnownRequestError): string | undefined {
  return (error.meta?.driverAdapterError as { cause?: { kind?: string } } | undefined)?.cause?.kind;
}

/** A row referred to something another request just deleted: by Prisma's own queries (P2003) or a raw one (P2010). */
export function isForeignKeyViolation(error: unknown): boolean {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return false;
  return error.code === 'P2003' || (error.code === 'P2010' && adapterErrorKind(error) === 'ForeignKeyConstraintViolation');
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

/** Prisma's codes for "the database cannot be reached / did not answer" (not a bad query). */
const unreachableCodes = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);
const unreachableAdapterKinds = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections']);
/** PostgreSQL's and Node's codes for the same: shutting down, starting, full, refused, reset. */
const unreachableDriverCodes = new Set(['57P01', '57P02', '57P03', '53300', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT']);
const unreachableMessages = /^(Connection terminated|timeout exceeded when trying to connect|Cannot use a pool after calling end)/;

/** True when `error` (or its cause) says PostgreSQL is unreachable: an outage, not a bug. */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 4) return false;
  if (error instanceof Prisma.PrismaClientInitializationError) return true;
  if (error instanceof Prisma.PrismaClientKnownRequestError) {
    const kind = adapterErrorKind(error);
    if (unreachableCodes.has(error.code) || (kind !== undefined && unreachableAdapterKinds.has(kind))) return true;
  }
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && unreachableDriverCodes.has(code)) return true;
  return unreachableMessages.test(error.message) || isDatabaseUnavailable(error.cause, depth + 1);
}
