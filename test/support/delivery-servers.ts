import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/**
 * Real servers for delivery tests: an SMTP server that keeps what it accepted, and an HTTP server
 * that keeps the webhook calls it answered.
 */

export interface ReceivedMail {
  messageId: string;
  subject: string;
  to: string;
  /** Header names in lower case, folded lines joined. */
  headers: Record<string, string>;
  text: string;
  receivedAt: number;
}

function decodeQuotedPrintable(body: string): string {
  const bytes = body
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

function decodeWord(value: string): string {
  return value.replace(/=\?utf-8\?([QB])\?([^?]*)\?=\s*/gi, (_, encoding: string, text: string) =>
    encoding.toUpperCase() === 'B'
      ? Buffer.from(text, 'base64').toString('utf8')
      : decodeQuotedPrintable(text.replace(/_/g, ' ')),
  );
}

export function parseMail(raw: string, receivedAt: number): ReceivedMail {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const headers: Record<string, string> = {};
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  let text = raw.slice(split + 4);
  const encoding = headers['content-transfer-encoding']?.toLowerCase();
  if (encoding === 'quoted-printable') text = decodeQuotedPrintable(text);
  else if (encoding === 'base64') text = Buffer.from(text, 'base64').toString('utf8');
  return {
    messageId: headers['message-id'] ?? '',
    subject: decodeWord(headers.subject ?? ''),
    to: headers.to ?? '',
    headers,
    text: text.replace(/\r\n/g, '\n'),
    receivedAt,
  };
}

export interface SmtpCapture {
  port: number;
  /** Every message accepted (answered 250), in order, across restarts. */
  messages: ReceivedMail[];
  /**
   * From the `holdAfter`-th accepted message on, messages are received but not answered (the
   * client waits); `held` counts them. Released connections are refused, never accepted.
   */
  holdAfter: number | null;
  held: number;
  /** Answers held messages (with an error, or accepting them), and stops holding. */
  release(accept?: boolean): void;
  /** Stops listening (clients get "connection refused") and closes open connections. */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
  byMessageId(messageId: string): ReceivedMail[];
}

/** An SMTP server on `port` (0: any free port), plain text, no authentication. */
export async function startSmtp(options: { port?: number; delayMs?: number } = {}): Promise<SmtpCapture> {
  let server: SMTPServer | null = null;
  const closed = new Set<string>();
  let pending: Array<{ accept: () => void; refuse: (error: Error) => void }> = [];

  const capture: SmtpCapture = {
    port: options.port ?? 0,
    messages: [],
    holdAfter: null,
    held: 0,
    release(accept = false) {
      const waiting = pending;
      pending = [];
      capture.holdAfter = null;
      capture.held = 0;
      for (const held of waiting) {
        if (accept) held.accept();
        else held.refuse(new Error('released'));
      }
    },
    async stop() {
      capture.release();
      const current = server;
      server = null;
      if (!current) return;
      await new Promise<void>((resolve) => current.close(() => resolve()));
    },
    async start() {
      if (server) return;
      const created = new SMTPServer({
        authOptional: true,
        hideSTARTTLS: true,
        disabledCommands: ['AUTH', 'STARTTLS'],
        logger: false,
        closeTimeout: 100,
        onClose: (session) => {
          closed.add(session.id);
        },
        onData: (stream, session, callback) => {
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('end', () => {
            const accept = () => {
              if (closed.has(session.id)) return callback(new Error('connection closed'));
              capture.messages.push(parseMail(Buffer.concat(chunks).toString('latin1'), Date.now()));
              callback();
            };
            if (capture.holdAfter !== null && capture.messages.length >= capture.holdAfter) {
              capture.held++;
              pending.push({ accept, refuse: (error) => callback(error) });
              return;
            }
            if (options.delayMs) setTimeout(accept, options.delayMs);
            else accept();
          });
        },
      });
      await new Promise<void>((resolve, reject) => {
        const listener = created.listen(capture.port, '127.0.0.1', () => resolve());
        listener.once('error', reject);
      });
      capture.port = (created.server.address() as AddressInfo).port;
      server = created;
    },
    byMessageId(messageId) {
      return capture.messages.filter((m) => m.messageId === messageId);
    },
  };
  await capture.start();
  return capture;
}

export interface ReceivedCall {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  receivedAt: number;
}

export interface WebhookCapture {
  url: string;
  calls: ReceivedCall[];
  /** Statuses to answer, in turn; then 204. */
  answers: number[];
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookCapture> {
  const capture = { calls: [] as ReceivedCall[], answers: [] as number[] } as WebhookCapture;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      capture.calls.push({
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        receivedAt: Date.now(),
      });
      res.writeHead(capture.answers.shift() ?? 204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  capture.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  capture.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return capture;
}
