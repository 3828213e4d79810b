import { randomToken } from '../../server/crypto/hmac.ts';
import type { Clock } from '../../server/platform/clock.ts';
import type { HttpClient } from '../../server/platform/http-client.ts';
import { signStandardWebhook } from '../../server/providers/sandbox/standard-webhooks.ts';
import type { SecretLookup } from './api-auth.ts';

export interface GatewayLogger {
  info(message: string, meta?: Record<string, unknown>): unknown;
  warn(message: string, meta?: Record<string, unknown>): unknown;
}

export interface WebhookSenderOptions {
  http: HttpClient;
  clock: Clock;
  secretFor: SecretLookup;
  logger?: GatewayLogger;
  /** Waits before each redelivery; its length bounds the retries. */
  retryDelaysMs: readonly number[];
  /** Per delivery attempt. */
  timeoutMs: number;
}

export interface OutgoingWebhook {
  url: string;
  accountId: string;
  sessionId: string;
  /** Exact JSON text: what is signed is what is sent. */
  body: string;
}

/**
 * Delivers notifications like a real gateway: one `webhook-id` per message, kept across redeliveries
 * (so the receiver can dedupe), a fresh timestamp and signature per attempt, 2xx = delivered,
 * anything else retried after the configured delays, then given up and logged.
 */
export class WebhookSender {
  private readonly timers = new Set<NodeJS.Timeout>();
  private inFlight = 0;
  private waiters: Array<() => void> = [];
  private closed = false;

  constructor(private readonly opts: WebhookSenderOptions) {}

  /** Resolves after the first attempt (true if delivered); redeliveries continue in the background. */
  async send(message: OutgoingWebhook): Promise<boolean> {
    const msgId = `msg_${randomToken(18)}`;
    return this.attempt(message, msgId, 0);
  }

  /** Resolves when nothing is being sent or waiting to be resent (tests, graceful shutdown). */
  idle(): Promise<void> {
    if (this.inFlight === 0 && this.timers.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Drops scheduled redeliveries; an attempt already on the wire finishes. */
  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.settle();
  }

  private async attempt(message: OutgoingWebhook, msgId: string, index: number): Promise<boolean> {
    this.inFlight += 1;
    let delivered = false;
    let failure = '';
    try {
      const secret = await this.opts.secretFor(message.accountId);
      if (!secret) {
        failure = `account ${message.accountId} has no sandbox webhookSecret`;
      } else {
        const timestampSec = Math.floor(this.opts.clock.now() / 1000);
        const res = await this.opts.http.request({
          method: 'POST',
          url: message.url,
          headers: {
            'content-type': 'application/json',
            'user-agent': 'dramlink-sandbox-gateway',
            'webhook-id': msgId,
            'webhook-timestamp': String(timestampSec),
            'webhook-signature': signStandardWebhook(secret, msgId, timestampSec, message.body),
          },
          body: message.body,
          timeoutMs: this.opts.timeoutMs,
        });
        delivered = res.status >= 200 && res.status < 300;
        if (!delivered) failure = `HTTP ${res.status}`;
      }
    } catch (err) {
      failure = err instanceof Error ? err.message : String(err);
    } finally {
      this.inFlight -= 1;
    }
    const meta = { sessionId: message.sessionId, webhookId: msgId, attempt: index + 1 };
    if (delivered) {
      this.opts.logger?.info('sandbox webhook delivered', meta);
    } else {
      this.scheduleRetry(message, msgId, index, failure, meta);
    }
    this.settle();
    return delivered;
  }

  private scheduleRetry(message: OutgoingWebhook, msgId: string, index: number, failure: string, meta: Record<string, unknown>): void {
    const delay = this.opts.retryDelaysMs[index];
    if (delay === undefined || this.closed) {
      this.opts.logger?.warn('sandbox webhook given up', { ...meta, failure });
      return;
    }
    this.opts.logger?.warn('sandbox webhook failed, will retry', { ...meta, failure, retryInMs: delay });
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.attempt(message, msgId, index + 1);
    }, delay);
    // A pending redelivery must not keep the process (or a test run) alive.
    timer.unref();
    this.timers.add(timer);
  }

  private settle(): void {
    if (this.inFlight !== 0 || this.timers.size !== 0) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }
}
