import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { LookupAddress, LookupOptions } from 'node:dns';
import type { AddressInfo, LookupFunction, Socket } from 'node:net';
import 'reflect-metadata';
import { AppConfig, validateEnvironment } from '#config';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { verifyWebhookSignature } from './webhook-signature.js';
import { DeliveryError } from './delivery-error.js';
import { IDLE_SOCKET_MS, PRIVATE_ADDRESS_ERROR, publicAddressLookup, WebhookSender } from './webhook.sender.js';

type LookupCallback = Parameters<LookupFunction>[2];

/** A sender configured with WEBHOOK_ALLOW_PRIVATE_ADDRESSES as given. */
const senderAllowing = (allowPrivate: boolean) =>
  new WebhookSender(new AppConfig(validateEnvironment({ WEBHOOK_ALLOW_PRIVATE_ADDRESSES: String(allowPrivate) })));

interface Call {
  headers: IncomingMessage['headers'];
  body: string;
  remotePort: number;
}

describe('WebhookSender (private addresses allowed)', () => {
  let server: Server;
  let base: string;
  let answer: (response: ServerResponse) => void;
  const calls: Call[] = [];
  const sockets = new Set<Socket>();
  // The receiver listens on 127.0.0.1, as in development and the tests.
  const sender = senderAllowing(true);

  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.setEncoding('utf8');
      request.on('data', (chunk: string) => (body += chunk));
      request.on('end', () => {
        calls.push({ headers: request.headers, body, remotePort: request.socket.remotePort! });
        answer(response);
      });
    });
    server.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(() => {
    calls.length = 0;
    sender.timeoutMs = 10_000;
  });

  afterAll(async () => {
    sender.onModuleDestroy();
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  const call = (path = '/hook') => ({
    reminderId: '5b0f8f1e-2d4b-4c1a-9a57-2f9d2c1d7e10',
    url: `${base}${path}`,
    secret: 'ctw_secret',
    payload: { subject: 'Hearing in 2 hours: Жанболат Мамай' },
  });

  it('posts signed JSON with an Idempotency-Key, and reuses its connection for the next call', async () => {
    answer = (response) => response.writeHead(204).end();
    await sender.send(call());
    await sender.send(call());
    expect(calls).toHaveLength(2);
    const [first, second] = calls;
    expect(JSON.parse(first!.body)).toEqual(call().payload);
    expect(first!.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(first!.headers['idempotency-key']).toBe(call().reminderId);
    expect(
      verifyWebhookSignature('ctw_secret', {
        timestamp: first!.headers['x-casetracker-timestamp'] as string,
        signature: first!.headers['x-casetracker-signature'] as string,
        body: first!.body,
      }),
    ).toBe(true);
    expect(second!.remotePort).toBe(first!.remotePort);
  });

  it('fails on an answer other than 2xx, and does not follow a redirect', async () => {
    answer = (response) => response.writeHead(500).end('boom');
    await expect(sender.send(call())).rejects.toMatchObject({ message: 'webhook: HTTP 500', permanent: false });
    answer = (response) => response.writeHead(302, { location: `${base}/elsewhere` }).end();
    await expect(sender.send(call())).rejects.toMatchObject({ message: 'webhook: HTTP 302' });
    expect(calls.map((c) => c.body).length).toBe(2);
  });

  it('gives up on a receiver that does not answer in time', async () => {
    sender.timeoutMs = 200;
    answer = () => undefined; // never answers
    await expect(sender.send(call())).rejects.toMatchObject({ message: 'webhook: no answer within 0.2 s' });
  });

  it('waits for a receiver that answers after longer than the idle time of kept-alive connections', async () => {
    const delay = IDLE_SOCKET_MS + 500;
    answer = (response) => setTimeout(() => response.writeHead(202).end(), delay);
    const started = Date.now();
    await sender.send(call());
    expect(Date.now() - started).toBeGreaterThanOrEqual(delay);
    expect(calls).toHaveLength(1);
  }, 15_000);

  it('does not wait for the body, and cuts off one still trickling in when the time is up', async () => {
    sender.timeoutMs = 300;
    let closed = false;
    answer = (response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.write('a');
      const drip = setInterval(() => response.write('a'), 50);
      response.on('close', () => {
        clearInterval(drip);
        closed = true;
      });
    };
    const started = Date.now();
    await sender.send(call());
    expect(Date.now() - started).toBeLessThan(250);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(closed).toBe(true);
  });

  it('reports a refused connection by its code, and an invalid URL as permanent', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(sender.send({ ...call(), url: `http://127.0.0.1:${port}/hook` })).rejects.toMatchObject({
      message: 'webhook: ECONNREFUSED',
    });
    await expect(sender.send({ ...call(), url: 'http://' })).rejects.toMatchObject({ permanent: true });
  });

  it('sends once more on a new connection when the receiver closed the kept-alive one', async () => {
    answer = (response) => response.writeHead(200).end();
    await sender.send(call());
    // The receiver drops its idle connections without telling the sender first.
    for (const socket of sockets) socket.destroy();
    await sender.send(call());
    expect(calls).toHaveLength(2);
  });
});

describe('WebhookSender (private addresses not allowed)', () => {
  let server: Server;
  let port: number;
  let closedPort: number;
  let calls = 0;
  const sender = senderAllowing(false);
  /** Names the tests resolve themselves: one to loopback, one to private addresses of both families. */
  const names: Record<string, LookupAddress[]> = {
    'hooks.rebound.example': [{ address: '127.0.0.1', family: 4 }],
    'intranet.example': [
      { address: '10.0.0.5', family: 4 },
      { address: 'fd12:3456::1', family: 6 },
      { address: '::ffff:192.168.1.1', family: 6 },
    ],
  };
  const resolved: string[] = [];

  beforeAll(async () => {
    server = createServer((_, response) => {
      calls++;
      response.writeHead(204).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    sender.resolve = ((hostname: string, options: LookupOptions, callback: LookupCallback) => {
      resolved.push(hostname);
      const addresses = names[hostname];
      if (!addresses) return callback(Object.assign(new Error('not found'), { code: 'ENOTFOUND' }), '');
      if (options.all) callback(null, addresses);
      else callback(null, addresses[0]!.address, addresses[0]!.family);
    }) as LookupFunction;
  });

  afterAll(async () => {
    sender.onModuleDestroy();
    await new Promise((resolve) => server.close(resolve));
  });

  const call = (url: string) => ({
    reminderId: '5b0f8f1e-2d4b-4c1a-9a57-2f9d2c1d7e10',
    url,
    secret: 'ctw_secret',
    payload: { subject: 'Hearing in 2 hours' },
  });
  const refused = { message: PRIVATE_ADDRESS_ERROR, permanent: true };

  it('refuses an IP literal on a private network, open port or not, before connecting', async () => {
    for (const url of [
      `http://127.0.0.1:${port}/hook`,
      `http://127.0.0.1:${closedPort}/hook`,
      `http://127.0.0.1:6379/`,
      'http://169.254.169.254/latest/meta-data/',
      'http://10.0.0.5/',
      `http://[::1]:${port}/`,
      `http://[::ffff:127.0.0.1]:${port}/`,
      `http://2130706433:${port}/`,
      'https://192.168.0.1/',
      `http://localhost:${port}/`,
    ]) {
      await expect(sender.send(call(url))).rejects.toMatchObject(refused);
    }
    expect(calls).toBe(0);
    expect(resolved).toEqual([]);
  });

  it('refuses a name that resolves to a private address, checking the address it would connect to', async () => {
    await expect(sender.send(call(`http://hooks.rebound.example:${port}/hook`))).rejects.toMatchObject(refused);
    await expect(sender.send(call(`https://intranet.example:${port}/hook`))).rejects.toMatchObject(refused);
    expect(resolved).toEqual(['hooks.rebound.example', 'intranet.example']);
    expect(calls).toBe(0);
    // A name that does not resolve is an ordinary failure, retried.
    await expect(sender.send(call('http://nowhere.example/'))).rejects.toMatchObject({
      message: 'webhook: ENOTFOUND',
      permanent: false,
    });
  });
});

describe('publicAddressLookup', () => {
  const resolveTo =
    (addresses: LookupAddress[]): LookupFunction =>
    (_hostname, options, callback) => {
      expect(options.all).toBe(true);
      callback(null, addresses);
    };
  const lookup = (resolve: LookupFunction, all: boolean) =>
    new Promise<{ error: unknown; address: unknown; family: unknown }>((done) =>
      publicAddressLookup(resolve)('hooks.example.org', { all }, (error, address, family) =>
        done({ error, address, family }),
      ),
    );

  it('passes on only the public addresses of a name, in either form of answer', async () => {
    const mixed = resolveTo([
      { address: '10.1.2.3', family: 4 },
      { address: '93.184.216.34', family: 4 },
      { address: 'fe80::1', family: 6 },
      { address: '2606:2800:220:1:248:1893:25c8:1946', family: 6 },
    ]);
    expect(await lookup(mixed, true)).toMatchObject({
      error: null,
      address: [
        { address: '93.184.216.34', family: 4 },
        { address: '2606:2800:220:1:248:1893:25c8:1946', family: 6 },
      ],
    });
    expect(await lookup(mixed, false)).toEqual({ error: null, address: '93.184.216.34', family: 4 });
  });

  it('fails permanently, with the same message, when no public address is left', async () => {
    const { error } = await lookup(resolveTo([{ address: '169.254.169.254', family: 4 }]), false);
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({ message: PRIVATE_ADDRESS_ERROR, permanent: true });
  });
});
