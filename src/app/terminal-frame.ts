// Redraws a block of lines in place on a terminal (status --watch): cursor up over the last frame, or a clear screen when it did not fit.
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

export class TerminalFrame {
  private drawnRows = 0;

  constructor(private readonly stream: NodeJS.WritableStream & { rows?: number; columns?: number }) {}

  draw(lines: string[]): void {
    const rows = this.stream.rows || 24; // a pty may report 0 (unknown)
    let prefix = '';
    if (this.drawnRows >= rows) prefix = '\x1b[H\x1b[2J';
    else if (this.drawnRows > 0) prefix = `\x1b[${this.drawnRows}A\r\x1b[J`;
    this.stream.write(prefix + lines.map((l) => `${l}\n`).join(''));
    this.drawnRows = lines.reduce((sum, line) => sum + this.rowsOf(line), 0);
  }

  /** Nothing to undo: the last frame stays on screen as the final picture. */
  end(): void {
    this.drawnRows = 0;
  }

  // A line longer than the terminal wraps onto more rows, which the next cursor-up must cover.
  private rowsOf(line: string): number {
    const width = Array.from(line.replace(ANSI, '')).length;
    const columns = this.stream.columns || 80;
    return Math.max(1, Math.ceil(width / columns));
  }
}
