// One Server-Sent Events connection: framed writes, a cap on what may queue for a slow reader, heartbeats.
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A reader this far behind is dropped (its EventSource reconnects and catches up by Last-Event-ID). */
const MAX_QUEUED_BYTES = 2 * 1024 * 1024;
export const HEARTBEAT_MS = 15_000;

export class SseClient {
  closed = false;
  private readonly onClose: (() => void)[] = [];

  constructor(
    req: IncomingMessage,
    private readonly res: ServerResponse,
  ) {
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    res.write('retry: 1000\n\n');
    const close = (): void => this.close();
    req.on('close', close);
    res.on('close', close);
    res.on('error', close);
  }

  send(event: string, data: unknown, id?: number | string): void {
    if (this.closed) return;
    const lines = JSON.stringify(data);
    this.write(`${id !== undefined ? `id: ${id}\n` : ''}event: ${event}\ndata: ${lines}\n\n`);
  }

  comment(text: string): void {
    if (!this.closed) this.write(`: ${text}\n\n`);
  }

  /** Runs `fn` once the connection is gone. */
  whenClosed(fn: () => void): void {
    if (this.closed) fn();
    else this.onClose.push(fn);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.res.destroy();
    for (const fn of this.onClose.splice(0)) fn();
  }

  private write(text: string): void {
    this.res.write(text);
    if (this.res.writableLength > MAX_QUEUED_BYTES) this.close();
  }
}
