// A worker's watchdog (its own process): SIGKILLs the process groups the worker names on stdin once that pipe closes,
// so the tasks of a worker that died (kill -9) never run on beside their retries.
const groups = new Set<number>();
let pending = '';

process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk: string) => {
  pending += chunk;
  const lines = pending.split('\n');
  pending = lines.pop() ?? '';
  for (const line of lines) {
    const pgid = Number(line.slice(1));
    if (!Number.isInteger(pgid) || pgid <= 1) continue;
    if (line.startsWith('+')) groups.add(pgid);
    else groups.delete(pgid);
  }
});
const killAll = (): void => {
  for (const pgid of groups) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
  process.exit(0);
};
process.stdin.on('end', killAll);
process.stdin.on('close', killAll);
// The terminal's Ctrl-C is the worker's to handle; this process ends only with its pipe.
for (const signal of ['SIGINT', 'SIGHUP', 'SIGTERM'] as const) process.on(signal, () => {});
