import { ErrorCode } from '../../errors.js';
import { QueryLimitError } from './query-limit-error.js';

/**
 * Throws DOCUMENT_TOO_LARGE ({ measured, limit } in UTF-8 bytes) for a query text longer than
 * `maxBytes`. Checked before anything else, because it costs nothing and bounds every later step.
 */
export function assertDocumentSize(source: string, maxBytes: number): void {
  // Each UTF-16 unit is at most 3 UTF-8 bytes: most documents are accepted without counting.
  if (source.length * 3 <= maxBytes) return;
  const bytes = Buffer.byteLength(source, 'utf8');
  if (bytes <= maxBytes) return;
  throw new QueryLimitError(ErrorCode.DOCUMENT_TOO_LARGE, `Query document is ${bytes} bytes, more than the maximum of ${maxBytes}.`, {
    measured: bytes,
    limit: maxBytes,
  });
}
