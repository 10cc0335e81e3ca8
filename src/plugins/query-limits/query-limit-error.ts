import { AppError, type ErrorCode } from '../../errors.js';

/**
 * A document rejected by a query limit. `measured` and `limit` are in the limit's own unit
 * (levels, cost points, aliases, tokens, bytes…), so clients can tell how far over they are.
 */
export class QueryLimitError extends AppError {
  constructor(code: ErrorCode, message: string, details: { measured: number; limit: number } & Record<string, unknown>) {
    // Apollo answers 500 for errors thrown from plugin hooks unless they carry an HTTP status;
    // Apollo strips `http` from the extensions before the response is sent.
    super(code, message, { ...details, http: { status: 400 } });
  }
}
