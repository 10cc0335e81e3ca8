import { ConfigError } from '../config.js';
import { portError } from './port-check.js';
import { StartupError } from './startup-error.js';

/** What main prints when start-up fails: one line for what an operator can fix, the stack for a bug. */
export function startFailureMessage(error: unknown): string {
  if (error instanceof ConfigError || error instanceof StartupError) return error.message;
  // The port can still be taken between the check and listen().
  const { address, port } = (error ?? {}) as { address?: string; port?: number };
  const listenError = address !== undefined && port !== undefined ? portError(error, address, port) : null;
  if (listenError) return listenError.message;
  return `servio-api failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
}
