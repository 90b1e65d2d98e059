import cluster, { type Worker } from 'node:cluster';

/** Line of a process-wide event, in the shape of the API's JSON log lines. */
function log(level: 'info' | 'error', msg: string, fields: Record<string, unknown> = {}): void {
  const line = JSON.stringify({ level: level === 'error' ? 50 : 30, time: Date.now(), msg, ...fields });
  (level === 'error' ? process.stderr : process.stdout).write(`${line}\n`);
}

/**
 * Runs the API in `processes` worker processes sharing its port (Node's cluster module: the
 * primary accepts connections and hands them round-robin to the workers), so that one machine's
 * cores all serve requests; every worker runs the whole application with its own connection pool
 * (`DATABASE_POOL_SIZE` each). What the API does across processes is already safe with several
 * instances: the first admin is created under an advisory lock, login rate limits live in Redis.
 *
 * The primary does no work of its own. A worker that fails before it listens stops everything
 * (exit 1: a bad configuration would fail in each one alike); a worker that dies later is
 * replaced. SIGTERM or SIGINT is passed to every worker, which finishes its requests (Nest's
 * shutdown hooks), and the primary exits when all have.
 */
export function runCluster(processes: number): void {
  let stopping = false;
  const listening = new WeakSet<Worker>();
  const fork = () => {
    const worker = cluster.fork();
    worker.once('listening', () => listening.add(worker));
  };
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      // `process.exitCode` says how: 1 after a failed start, else 0.
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit();
      return;
    }
    if (!listening.has(worker)) {
      log('error', 'an API process failed to start; stopping', { pid: worker.process.pid, code, signal });
      stopping = true;
      for (const other of Object.values(cluster.workers ?? {})) other?.process.kill('SIGTERM');
      process.exitCode = 1;
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit();
      return;
    }
    log('error', 'an API process died; starting another', { pid: worker.process.pid, code, signal });
    fork();
  });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      log('info', `${signal}: stopping the API processes`);
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
    });
  }
  log('info', `starting ${processes} API processes`, { pid: process.pid });
  for (let i = 0; i < processes; i++) fork();
}
