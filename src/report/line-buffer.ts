// Splits streamed task output into whole lines per task and stream, keeping partial lines until they end.
export interface PrefixedLine {
  key: string;
  stream: 'stdout' | 'stderr';
  line: string;
}

export class LineBuffer {
  private readonly partials = new Map<string, { key: string; stream: 'stdout' | 'stderr'; text: string }>();

  /** Adds a chunk and returns the lines it completed. */
  push(key: string, stream: 'stdout' | 'stderr', text: string): PrefixedLine[] {
    const id = `${stream}\u0000${key}`;
    const joined = (this.partials.get(id)?.text ?? '') + text;
    const parts = joined.split('\n');
    const rest = parts.pop() ?? '';
    if (rest === '') this.partials.delete(id);
    else this.partials.set(id, { key, stream, text: rest });
    return parts.map((line) => ({ key, stream, line: line.replace(/\r$/, '') }));
  }

  /** Returns every unfinished line (as if it had ended) and forgets them. */
  flush(): PrefixedLine[] {
    const lines = [...this.partials.values()].map(({ key, stream, text }) => ({ key, stream, line: text.replace(/\r$/, '') }));
    this.partials.clear();
    return lines;
  }
}
