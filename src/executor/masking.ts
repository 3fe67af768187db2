// Replaces secret values by *** in text, in parsed values, and in a live stream split into chunks.

export const MASK = '***';

/** Non-empty secrets, longest first so a secret containing another is masked whole. */
export function normalizeSecrets(secrets: string[]): string[] {
  return [...new Set(secrets.filter((secret) => secret !== ''))].sort((a, b) => b.length - a.length);
}

export function maskText(text: string, secrets: string[]): string {
  let masked = text;
  for (const secret of normalizeSecrets(secrets)) masked = masked.split(secret).join(MASK);
  return masked;
}

/** Mask every string (keys included) inside a parsed output value. */
export function maskValue(value: unknown, secrets: string[]): unknown {
  const active = normalizeSecrets(secrets);
  if (active.length === 0) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return maskText(v, active);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, inner]) => [maskText(k, active), walk(inner)]));
    }
    return v;
  };
  return walk(value);
}

/**
 * Masks a stream of text chunks. A secret may be split across chunks, so up to (longest secret - 1) trailing
 * characters are held back until the next chunk or flush().
 */
export class StreamMasker {
  private readonly secrets: string[];
  private readonly holdBack: number;
  private carry = '';

  constructor(secrets: string[]) {
    this.secrets = normalizeSecrets(secrets);
    this.holdBack = Math.max(0, (this.secrets[0]?.length ?? 0) - 1);
  }

  /** Masked text that is safe to emit now. */
  push(chunk: string): string {
    return this.process(this.carry + chunk, false);
  }

  /** Everything still held back, masked. */
  flush(): string {
    return this.process(this.carry, true);
  }

  private process(text: string, final: boolean): string {
    if (this.secrets.length === 0) {
      this.carry = '';
      return text;
    }
    // Text before `cut` can be decided now: a secret starting before it would have to end inside `text`.
    const cut = final ? text.length : Math.max(0, text.length - this.holdBack);
    // Next occurrence of each secret at or after i, refreshed only when passed, so many matches stay linear.
    const next = this.secrets.map((secret) => text.indexOf(secret));
    let out = '';
    let i = 0;
    while (i < cut) {
      let best = -1;
      for (let k = 0; k < this.secrets.length; k++) {
        if (next[k] !== -1 && (next[k] as number) < i) next[k] = text.indexOf(this.secrets[k] as string, i);
        // Strictly earlier wins; on a tie the earlier (longer) secret stays.
        if (next[k] !== -1 && (best === -1 || (next[k] as number) < (next[best] as number))) best = k;
      }
      const at = best === -1 ? -1 : (next[best] as number);
      if (at === -1 || at >= cut) {
        out += text.slice(i, cut);
        i = cut;
        break;
      }
      out += text.slice(i, at) + MASK;
      i = at + (this.secrets[best] as string).length;
    }
    this.carry = text.slice(i);
    return out;
  }
}
