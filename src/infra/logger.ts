import { type Logger, pino } from 'pino';
import pinoPretty from 'pino-pretty';
import type { Config } from '../config.js';

export type { Logger };

/**
 * The process-wide logger. Secrets never reach it: auth headers and passwords are redacted.
 * JSON lines by default; human-readable (pino-pretty, synchronous so nothing is lost on exit) with
 * LOG_FORMAT=pretty, or in development when a person watches the terminal.
 */
export function createLogger(config: Pick<Config, 'log'>): Logger {
  const options = {
    level: config.log.level,
    base: { service: 'servio-api' },
    redact: {
      paths: ['req.headers.authorization', 'req.headers["x-api-key"]', '*.password', '*.customerPhone'],
      censor: '[redacted]',
    },
  };
  const pretty = config.log.format === 'pretty' || (config.log.format === 'auto' && process.stdout.isTTY === true);
  if (!pretty) return pino(options);
  return pino(options, pinoPretty({ sync: true, ignore: 'pid,hostname,service', translateTime: 'SYS:HH:MM:ss' }));
}
