/** A failure the backup scripts explain in one line (no stack trace), with a stable code for tests and alerts. */
export class BackupError extends Error {
  constructor(
    readonly code:
      | 'TOOL_MISSING'
      | 'TOOL_TOO_OLD'
      | 'TOOL_FAILED'
      | 'NOT_FOUND'
      | 'DATABASE_IN_USE'
      | 'CHECKSUM_MISMATCH'
      | 'TARGET_HAS_DATA'
      | 'CONFIRMATION_REQUIRED'
      | 'VERIFICATION_FAILED'
      | 'BAD_ARGUMENTS'
      | 'DRILL_FAILED',
    message: string,
  ) {
    super(message);
    this.name = 'BackupError';
  }
}
