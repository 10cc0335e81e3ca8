import { once } from 'node:events';
import { createServer } from 'node:net';
import { StartupError } from './startup-error.js';

/** Fails when `host:port` cannot be listened on, before any slow work (database, migrations). */
export async function assertPortFree(host: string, port: number): Promise<void> {
  if (port === 0) return;
  const probe = createServer();
  try {
    probe.listen({ host, port, exclusive: true });
    await once(probe, 'listening');
  } catch (error) {
    throw portError(error, host, port) ?? error;
  } finally {
    probe.close();
  }
}

/** The one-line explanation of a listen error, or null when it is not about the port. */
export function portError(error: unknown, host: string, port: number): StartupError | null {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE') {
    return new StartupError(`Port ${port} on ${host} is already in use (another servio-api?): stop that process, or set PORT.`);
  }
  if (code === 'EACCES') return new StartupError(`Not allowed to listen on port ${port} on ${host}: choose a PORT above 1023.`);
  if (code === 'EADDRNOTAVAIL') return new StartupError(`HOST=${host} is not an address of this machine.`);
  return null;
}
