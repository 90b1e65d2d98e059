import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { AppConfig } from '#config';
import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { isPrivateAddress, isPrivateHost } from '../webhook-address.js';
import { DeliveryError } from './delivery-error.js';
import { webhookSignature } from './webhook-signature.js';

export interface OutgoingWebhook {
  reminderId: string;
  url: string;
  /** The advocate's webhook secret, decrypted. */
  secret: string;
  payload: Record<string, unknown>;
}

export const WEBHOOK_TIMEOUT_MS = 10_000;

/**
 * The failure of a webhook to a non-public address: permanent, and the same whatever the address
 * and port, so that it tells nothing about what listens inside the network.
 */
export const PRIVATE_ADDRESS_ERROR = 'webhook: address not allowed (private network)';

const privateAddressError = () => new DeliveryError(PRIVATE_ADDRESS_ERROR, true);

/**
 * `dns.lookup` (or `resolve`, for tests) keeping only public addresses: the socket connects to
 * an address that was checked, so a name that resolves to a private address, or that answers
 * with a public one now and a private one later (DNS rebinding), reaches nothing inside. Fails
 * with a permanent `DeliveryError` when no public address is left.
 */
export function publicAddressLookup(resolve: LookupFunction = dns.lookup as LookupFunction): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '');
      const found = (addresses as dns.LookupAddress[]).filter(({ address }) => !isPrivateAddress(address));
      if (found.length === 0) return callback(privateAddressError(), '');
      if (options.all) callback(null, found);
      else callback(null, found[0]!.address, found[0]!.family);
    });
  };
}

/**
 * Idle keep-alive connections are closed after this long (servers commonly keep them 5 s). A
 * connection waiting for an answer is not idle: the call's own `timeoutMs` applies to it.
 */
export const IDLE_SOCKET_MS = 4_000;

/**
 * POSTs a signed JSON document to an advocate's webhook. A 2xx answer within ten seconds is
 * success; anything else (another status, a redirect, a timeout, no connection) is a failure
 * to be retried. `Idempotency-Key` is the reminder id, the same on every attempt.
 *
 * Unless `WEBHOOK_ALLOW_PRIVATE_ADDRESSES` is set, only public addresses are called: an IP
 * literal is checked before the request, a name as it is resolved (the agents' `lookup`), and a
 * webhook to anything else fails permanently with `PRIVATE_ADDRESS_ERROR`. Redirects are never
 * followed, so a public receiver cannot send the call on inside either.
 *
 * Connections are kept alive and reused (`node:http` agents, at most `maxSockets` per host):
 * a receiver that gets many messages does not pay a new TCP or TLS handshake for each. A request
 * on a reused connection that the receiver closed at that very moment is sent once more on a new
 * connection (it cannot have been processed; the Idempotency-Key covers the rest).
 */
@Injectable()
export class WebhookSender implements OnModuleDestroy {
  /** How long a call may take, from sending to the answer's status line. */
  timeoutMs = WEBHOOK_TIMEOUT_MS;
  /** Whether loopback, private and other non-public addresses may be called. */
  readonly allowPrivateAddresses: boolean;
  /** How names are resolved before the address check (tests replace it). */
  resolve: LookupFunction = dns.lookup as LookupFunction;
  private readonly agents: { 'http:': http.Agent; 'https:': https.Agent };

  constructor(config: AppConfig) {
    this.allowPrivateAddresses = config.env.WEBHOOK_ALLOW_PRIVATE_ADDRESSES;
    const options: http.AgentOptions = { keepAlive: true, maxSockets: 64, timeout: IDLE_SOCKET_MS };
    if (!this.allowPrivateAddresses) {
      options.lookup = publicAddressLookup((hostname, lookupOptions, callback) =>
        this.resolve(hostname, lookupOptions, callback),
      );
    }
    this.agents = { 'http:': new http.Agent(options), 'https:': new https.Agent(options) };
  }

  async send(call: OutgoingWebhook): Promise<void> {
    let url: URL;
    try {
      url = new URL(call.url);
    } catch {
      throw new DeliveryError('webhook: not a valid URL', true);
    }
    // An IP literal is connected to without a lookup: it is checked here.
    if (!this.allowPrivateAddresses && isPrivateHost(url.hostname)) throw privateAddressError();
    const body = JSON.stringify(call.payload);
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = {
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(body)),
      'user-agent': 'case-tracker-webhooks/1',
      'idempotency-key': call.reminderId,
      'x-casetracker-timestamp': String(timestamp),
      'x-casetracker-signature': webhookSignature(call.secret, timestamp, body),
    };
    let status: number;
    try {
      status = await this.post(url, headers, body).catch((error: NodeJS.ErrnoException & { reused?: boolean }) => {
        if (error.reused && (error.code === 'ECONNRESET' || error.code === 'EPIPE'))
          return this.post(url, headers, body);
        throw error;
      });
    } catch (error) {
      if (error instanceof DeliveryError) throw error;
      const e = error as NodeJS.ErrnoException;
      throw new DeliveryError(`webhook: ${e.code ?? e.name ?? 'request failed'}`);
    }
    if (status < 200 || status > 299) throw new DeliveryError(`webhook: HTTP ${status}`);
  }

  onModuleDestroy(): void {
    this.agents['http:'].destroy();
    this.agents['https:'].destroy();
  }

  /**
   * One POST; resolves with the answer's status. Its body is discarded, not read into memory; a
   * body still arriving when the time is up is cut off with its connection, so that a receiver
   * trickling one cannot keep a connection of the pool.
   */
  private post(url: URL, headers: Record<string, string>, body: string): Promise<number> {
    const secure = url.protocol === 'https:'; // the caller checked that it is http: or https:
    return new Promise((resolve, reject) => {
      const request = (secure ? https : http).request(
        url,
        { method: 'POST', headers, agent: this.agents[secure ? 'https:' : 'http:'] },
        (response) => {
          response.on('end', () => clearTimeout(timer));
          response.on('error', () => undefined);
          response.resume();
          resolve(response.statusCode ?? 0);
        },
      );
      const timer = setTimeout(() => {
        request.destroy(new DeliveryError(`webhook: no answer within ${this.timeoutMs / 1000} s`));
      }, this.timeoutMs);
      request.on('error', (error: NodeJS.ErrnoException & { reused?: boolean }) => {
        clearTimeout(timer);
        error.reused = request.reusedSocket;
        reject(error);
      });
      request.end(body);
    });
  }
}
