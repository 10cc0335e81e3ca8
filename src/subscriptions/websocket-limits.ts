import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { rateLimitKeyOf, type Viewer } from '../auth/viewer.js';
import type { Config } from '../config.js';
import { AppError, ErrorCode } from '../errors.js';
import type { Metrics } from '../infra/metrics.js';

/** A socket or subscription a limit refused: its code, the limit, and (for the rate) when to retry. */
export class WebSocketLimitError extends AppError {}

/**
 * The limits of graphql-ws, per process: sockets per user and per client address, subscriptions per
 * socket and per user, and subscribe operations per user per minute. Each refusal has its own code
 * and is counted in `servio_graphql_websocket_refused_total{code}`. Anonymous sockets count by address.
 */
export function createWebSocketLimits(limits: Config['websocketLimits'], metrics: Metrics) {
  const socketsByUser = new Map<string, number>();
  const socketsByIp = new Map<string, number>();
  const subscriptionsByUser = new Map<string, number>();
  const subscribeRate = new RateLimiterMemory({ points: limits.subscribesPerMinute, duration: 60 });

  const refuse = (code: ErrorCode, message: string, extensions: Record<string, unknown>) => {
    metrics.increment('graphql.websocket.refused', 1, { code });
    return new WebSocketLimitError(code, message, extensions);
  };
  const add = (counts: Map<string, number>, key: string, delta: number) => {
    const next = (counts.get(key) ?? 0) + delta;
    if (next > 0) counts.set(key, next);
    else counts.delete(key);
  };
  const userKey = (viewer: Viewer, ip: string) => rateLimitKeyOf(viewer, ip);

  return {
    /** Admits a socket past `connection_init`, or returns the refusal; `release` when it closes. */
    admitConnection(viewer: Viewer, ip: string): WebSocketLimitError | { release(): void } {
      const user = userKey(viewer, ip);
      if ((socketsByIp.get(ip) ?? 0) >= limits.connectionsPerIp)
        return refuse(ErrorCode.CONNECTIONS_PER_IP_EXCEEDED, 'Too many WebSocket connections from this address.', {
          limit: limits.connectionsPerIp,
        });
      if ((socketsByUser.get(user) ?? 0) >= limits.connectionsPerUser)
        return refuse(ErrorCode.CONNECTIONS_PER_USER_EXCEEDED, 'Too many WebSocket connections for this caller.', {
          limit: limits.connectionsPerUser,
        });
      add(socketsByIp, ip, 1);
      add(socketsByUser, user, 1);
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          add(socketsByIp, ip, -1);
          add(socketsByUser, user, -1);
        },
      };
    },

    /**
     * Admits one more subscription on a socket whose subscriptions `socket.used` counts (held here,
     * so concurrent subscribe messages can't all see the same count); `release` when it ends.
     */
    async admitSubscription(viewer: Viewer, ip: string, socket: { used: number }): Promise<WebSocketLimitError | { release(): void }> {
      const user = userKey(viewer, ip);
      try {
        await subscribeRate.consume(user);
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        return refuse(ErrorCode.SUBSCRIBE_RATE_EXCEEDED, 'Too many subscribe operations; try again later.', {
          limit: limits.subscribesPerMinute,
          retryAfter: Math.ceil(rejection.msBeforeNext / 1000),
        });
      }
      // From here to the counts' increment nothing awaits: the checks and the reservation are one step.
      if (socket.used >= limits.subscriptionsPerConnection)
        return refuse(ErrorCode.SUBSCRIPTIONS_PER_CONNECTION_EXCEEDED, 'Too many subscriptions on this connection.', {
          limit: limits.subscriptionsPerConnection,
        });
      if ((subscriptionsByUser.get(user) ?? 0) >= limits.subscriptionsPerUser)
        return refuse(ErrorCode.SUBSCRIPTIONS_PER_USER_EXCEEDED, 'Too many subscriptions for this caller.', {
          limit: limits.subscriptionsPerUser,
        });
      add(subscriptionsByUser, user, 1);
      socket.used += 1;
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          socket.used -= 1;
          add(subscriptionsByUser, user, -1);
        },
      };
    },
  };
}

export type WebSocketLimits = ReturnType<typeof createWebSocketLimits>;
