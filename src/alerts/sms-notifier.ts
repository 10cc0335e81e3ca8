import type { ExternalService } from '../infra/external-services.js';
import type { Logger } from '../infra/logger.js';
import type { AlertNotification, Notifier } from './alert-manager.js';

/** The part of the twilio client the notifier uses (the real one fits; tests may pass their own). */
export interface SmsClient {
  messages: { create(params: { from: string; to: string; body: string }): Promise<{ sid: string }> };
}

export interface SmsNotifierOptions {
  client: SmsClient;
  /** The `twilio` external service: its breaker and limits wrap every message. */
  service: ExternalService;
  /** TWILIO_FROM: the sending number or alphanumeric sender id. */
  from: string;
  /** ALERT_SMS_TO: one text goes to each. */
  to: readonly string[];
  logger: Logger;
}

/** Two SMS segments: enough for a summary, short enough to read on a lock screen. */
const maxLength = 320;

/** `[CRITICAL] Open circuit breakers is 1 (above 0)`, `[RESOLVED] …`, cut to two segments. */
export function toSmsText(notification: AlertNotification): string {
  const label = notification.status === 'firing' ? notification.severity.toUpperCase() : notification.status.toUpperCase();
  const text = `[${label}] ${notification.summary}`;
  return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
}

/** `+*******0006`: enough to tell recipients apart in logs, not enough to call them. */
export function maskPhoneNumber(number: string): string {
  let hidden = number.replace(/\D/g, '').length - 4;
  return number.replace(/\d/g, (digit) => (hidden-- > 0 ? '*' : digit));
}

/**
 * Texts critical alerts, when they fire and when they resolve: SMS is for waking someone up, so
 * warnings and business events stay on the log and the webhook. One message per recipient, each
 * through the `twilio` service; a failure (the breaker being open included) is logged at warn
 * with the recipient masked, never thrown.
 */
export function createSmsNotifier(options: SmsNotifierOptions): Notifier {
  const { client, service, from, logger } = options;
  const log = logger.child({ component: 'alerts' });
  return async (notification) => {
    if (notification.severity !== 'critical' || notification.status === 'info') return;
    const body = toSmsText(notification);
    await Promise.all(
      options.to.map(async (to) => {
        try {
          await service.call((signal) => untilAborted(client.messages.create({ from, to, body }), signal));
        } catch (error) {
          log.warn({ alert: notification.name, to: maskPhoneNumber(to), reason: failureFacts(error) }, 'sms alert delivery failed');
        }
      }),
    );
  };
}

/**
 * twilio's `messages.create()` takes no AbortSignal; its own timeout (the RequestClient's) cancels
 * the request. This stops waiting at the service's deadline too, so the breaker sees the timeout
 * even if the client's (a socket-idle timeout) has not fired yet.
 */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return Promise.race([
    work,
    new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true })),
  ]);
}

/**
 * The loggable facts of a failure. Never the error itself: an axios error carries the request,
 * with the Basic auth header (account SID and auth token) and the recipient's number in its body,
 * and Twilio's messages quote the number ("The 'To' number +1… is not a valid phone number.").
 */
function failureFacts(error: unknown): Record<string, unknown> {
  const failure = error as { name?: unknown; message?: unknown; status?: unknown; code?: unknown; moreInfo?: unknown };
  return {
    name: failure?.name,
    status: failure?.status,
    code: failure?.code,
    moreInfo: failure?.moreInfo,
    message: typeof failure?.message === 'string' ? failure.message.replace(/\+?\d[\d ().-]{5,}\d/g, maskPhoneNumber) : undefined,
  };
}
