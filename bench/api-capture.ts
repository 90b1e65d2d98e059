/**
 * The SQL the API sends, captured at the wire, and replayed against PostgreSQL for
 * `npm run bench:api`.
 *
 * `WireCapture` is a TCP proxy between the API and PostgreSQL that reads the frontend/backend
 * protocol (v3) as it passes: every simple query (`Q`), and every extended-protocol statement
 * (`Parse` text, `Bind` parameter values, up to the `Sync`), with the time it was sent and the
 * time PostgreSQL answered `ReadyForQuery`, and which of the API's connections sent it. Nothing is
 * changed on the way. While the API serves one request at a time, the statements it sends between
 * request and response are that request's (`traceOf`): grouped per connection, and into stages
 * where statements on different connections ran at the same time (the persons list runs its page
 * and its facet counts on two connections at once), so that `replay` runs them the same way: each
 * stage's connections in parallel, each connection's statements in order, with the same values,
 * as unnamed statements, as `pg` sends them for the API.
 */
import { createServer, type Server, type Socket, connect } from 'node:net';
import { performance } from 'node:perf_hooks';
import type pg from 'pg';

export interface CapturedStatement {
  /** Which proxied connection (one of the API's pool) sent it. */
  connection: number;
  text: string;
  /** Bound parameters (text as strings, binary as Buffers); null for a simple query. */
  values: Array<string | Buffer | null> | null;
  start: number;
  end: number;
}

/** One request's statements: stages run one after another, the connections of a stage in parallel. */
export type Trace = CapturedStatement[][][];

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;

/** Splits a byte stream into protocol messages (`type` '' for the untyped start-up messages). */
class MessageReader {
  private buffer: Buffer = Buffer.alloc(0);
  /** Untyped messages still to come (client: start-up, and again after an SSL or GSS request). */
  untyped: number;
  /** Single bytes to skip (server: the answer to an SSL or GSS request). */
  rawBytes = 0;

  constructor(
    untyped: number,
    private readonly onMessage: (type: string, body: Buffer) => void,
  ) {
    this.untyped = untyped;
  }

  push(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    let offset = 0;
    for (;;) {
      const left = this.buffer.length - offset;
      if (this.rawBytes > 0) {
        if (left < 1) break;
        offset += 1;
        this.rawBytes -= 1;
        continue;
      }
      if (this.untyped > 0) {
        if (left < 4) break;
        const length = this.buffer.readInt32BE(offset);
        if (left < length) break;
        this.untyped -= 1;
        this.onMessage('', this.buffer.subarray(offset + 4, offset + length));
        offset += length;
        continue;
      }
      if (left < 5) break;
      const length = this.buffer.readInt32BE(offset + 1);
      if (left < 1 + length) break;
      this.onMessage(String.fromCharCode(this.buffer[offset]!), this.buffer.subarray(offset + 5, offset + 1 + length));
      offset += 1 + length;
    }
    this.buffer = offset === 0 ? this.buffer : Buffer.from(this.buffer.subarray(offset));
  }
}

function cString(body: Buffer, offset: number): [string, number] {
  const end = body.indexOf(0, offset);
  return [body.toString('utf8', offset, end), end + 1];
}

function parseBind(body: Buffer): { statement: string; values: Array<string | Buffer | null> } {
  const [, afterPortal] = cString(body, 0);
  const [statement, afterStatement] = cString(body, afterPortal);
  let offset = afterStatement;
  const formatCount = body.readInt16BE(offset);
  offset += 2;
  const formats: number[] = [];
  for (let i = 0; i < formatCount; i += 1, offset += 2) formats.push(body.readInt16BE(offset));
  const count = body.readInt16BE(offset);
  offset += 2;
  const values: Array<string | Buffer | null> = [];
  for (let i = 0; i < count; i += 1) {
    const length = body.readInt32BE(offset);
    offset += 4;
    if (length < 0) {
      values.push(null);
      continue;
    }
    const bytes = body.subarray(offset, offset + length);
    offset += length;
    const format = formatCount === 0 ? 0 : formatCount === 1 ? formats[0]! : formats[i]!;
    values.push(format === 1 ? Buffer.from(bytes) : bytes.toString('utf8'));
  }
  return { statement, values };
}

/** A recording proxy in front of PostgreSQL (see the file's comment). */
export class WireCapture {
  /** Statements are kept only while this is true. */
  recording = false;
  readonly statements: CapturedStatement[] = [];
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private connections = 0;

  /** `target`: PostgreSQL's host and port, or the path of its Unix socket. */
  constructor(private readonly target: { host: string; port: number } | { path: string }) {}

  /** Starts listening on a free port of 127.0.0.1 and returns it. */
  listen(): Promise<number> {
    this.server = createServer((client) => this.proxy(client));
    return new Promise((resolve) =>
      this.server!.listen(0, '127.0.0.1', () => resolve((this.server!.address() as { port: number }).port)),
    );
  }

  close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** The statements sent from `from` on (by start time), removed from the record. */
  take(from: number): CapturedStatement[] {
    const taken = this.statements.filter((s) => s.start >= from);
    this.statements.length = 0;
    return taken;
  }

  private proxy(client: Socket): void {
    const id = (this.connections += 1);
    const server = 'path' in this.target ? connect(this.target.path) : connect(this.target.port, this.target.host);
    this.sockets.add(client).add(server);
    const prepared = new Map<string, string>();
    let bound: { text: string; values: Array<string | Buffer | null>; start: number } | null = null;
    /** Sent and waiting for ReadyForQuery, oldest first. */
    const waiting: Array<CapturedStatement | null> = [];
    const serverReader = new MessageReader(0, (type) => {
      if (type !== 'Z') return;
      const statement = waiting.shift();
      if (!statement) return;
      statement.end = performance.now();
      if (this.recording) this.statements.push(statement);
    });
    const clientReader = new MessageReader(1, (type, body) => {
      const now = performance.now();
      if (type === '') {
        const code = body.length >= 4 ? body.readInt32BE(0) : 0;
        if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
          clientReader.untyped += 1;
          serverReader.rawBytes += 1;
        }
      } else if (type === 'P') {
        const [name, offset] = cString(body, 0);
        const [text] = cString(body, offset);
        prepared.set(name, text);
        bound = { text, values: [], start: now };
      } else if (type === 'B') {
        const { statement, values } = parseBind(body);
        bound = { text: prepared.get(statement) ?? '', values, start: bound?.start ?? now };
      } else if (type === 'S') {
        waiting.push(bound ? { connection: id, ...bound, end: NaN } : null);
        bound = null;
      } else if (type === 'Q') {
        waiting.push({ connection: id, text: cString(body, 0)[0], values: null, start: now, end: NaN });
      }
    });
    client.on('data', (chunk: Buffer) => {
      clientReader.push(chunk);
      server.write(chunk);
    });
    server.on('data', (chunk: Buffer) => {
      serverReader.push(chunk);
      client.write(chunk);
    });
    const close = () => {
      client.destroy();
      server.destroy();
      this.sockets.delete(client);
      this.sockets.delete(server);
    };
    client.on('close', close).on('error', close);
    server.on('close', close).on('error', close);
  }
}

/**
 * The statements of one request as stages: statements that overlap in time (on different
 * connections) belong to one stage; within a stage, each connection's statements in order.
 */
export function traceOf(statements: CapturedStatement[]): Trace {
  const sorted = [...statements].sort((a, b) => a.start - b.start);
  const stages: CapturedStatement[][] = [];
  let end = -Infinity;
  for (const s of sorted) {
    if (stages.length === 0 || s.start >= end) stages.push([]);
    stages[stages.length - 1]!.push(s);
    end = Math.max(end, s.end);
  }
  return stages.map((stage) => {
    const byConnection = new Map<number, CapturedStatement[]>();
    for (const s of stage) byConnection.set(s.connection, [...(byConnection.get(s.connection) ?? []), s]);
    return [...byConnection.values()];
  });
}

export const statementCount = (trace: Trace) => trace.flat(2).length;

/** Runs one statement as the API did (same text, same values; unnamed, so planned with the values). */
export async function runStatement(client: pg.PoolClient | pg.Client, s: CapturedStatement): Promise<pg.QueryResult> {
  return s.values === null ? client.query(s.text) : client.query({ text: s.text, values: s.values });
}

/** Replays one request's statements (see `traceOf`) on connections of `pool`. */
export async function replay(pool: pg.Pool, trace: Trace): Promise<void> {
  for (const stage of trace) {
    await Promise.all(
      stage.map(async (statements) => {
        const client = await pool.connect();
        let failed: unknown;
        try {
          for (const s of statements) await runStatement(client, s);
        } catch (error) {
          failed = error;
          // Leave no transaction open on a pooled connection.
          await client.query('ROLLBACK').catch(() => undefined);
          throw error;
        } finally {
          client.release(failed instanceof Error ? failed : undefined);
        }
      }),
    );
  }
}

/** Whether a statement reads rows (and so has a plan worth showing). */
export const isQuery = (s: CapturedStatement) => /^\s*\(?\s*(SELECT|WITH)\b/i.test(s.text);
