/** A start-up problem the operator can fix: printed as its message alone, one line, no stack. */
export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupError';
  }
}
