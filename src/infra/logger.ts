import { type Logger, pino } from 'pino';
import type { Config } from '../config.js';

export type { Logger };

/** The process-wide logger. Secrets never reach it: auth headers and passwords are redacted. */
export function createLogger(config: Pick<Config, 'log'>): Logger {
  return pino({
    level: config.log.level,
    base: { service: 'servio-api' },
    redact: {
      paths: ['req.headers.authorization', 'req.headers["x-api-key"]', '*.password', '*.customerPhone'],
      censor: '[redacted]',
    },
  });
}
