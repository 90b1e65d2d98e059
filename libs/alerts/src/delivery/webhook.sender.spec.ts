import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { verifyWebhookSignature } from './webhook-signature.js';
import { IDLE_SOCKET_MS, WebhookSender } from './webhook.sender.js';

interface Call {
  headers: IncomingMessage['headers'];
  body: string;
  remotePort: number;
}

describe('WebhookSender', () => {
  let server: Server;
  let base: string;
  let answer: (response: ServerResponse) => void;
  const calls: Call[] = [];
  const sockets = new Set<Socket>();
  const sender = new WebhookSender();

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
