// The one secret masker: replaces secret values by *** in text, in values (strings, keys, numbers) and in a stream.

const MASK = '***';

/**
 * What gets masked for these secret values, longest first (so a secret containing another is masked whole): each
 * non-empty value as given, however short, and each line of a multi-line value (trimmed, when not blank), because
 * one line printed alone would leak that part.
 */
export function maskPatterns(secrets: readonly string[]): string[] {
  const patterns = new Set<string>();
  for (const secret of secrets) {
    if (typeof secret !== 'string' || secret === '') continue;
    patterns.add(secret);
    if (!/[\r\n]/.test(secret)) continue;
    for (const line of secret.split(/\r?\n|\r/)) {
      const trimmed = line.trim();
      if (trimmed !== '') patterns.add(trimmed);
    }
  }
  return [...patterns].sort((a, b) => b.length - a.length);
}

/** Longest first: the prepared patterns are applied in order. */
function maskWith(text: string, patterns: readonly string[]): string {
  let out = text;
  for (const pattern of patterns) if (out.includes(pattern)) out = out.split(pattern).join(MASK);
  return out;
}

export function maskText(text: string, secrets: readonly string[]): string {
  return maskWith(text, maskPatterns(secrets));
}

/**
 * Masks every string, key and number inside a value, deep. A number that spells a secret (a PIN) becomes the masked
 * text, since printing it would leak the secret. Unchanged parts keep their reference; the input is never mutated.
 */
export function maskValue(value: unknown, secrets: readonly string[]): unknown {
  const patterns = maskPatterns(secrets);
  return patterns.length === 0 ? value : maskDeep(value, patterns);
}

/** maskValue, and whether anything was masked. */
export function maskSecrets(value: unknown, secrets: readonly string[]): { value: unknown; masked: boolean } {
  const masked = maskValue(value, secrets);
  return { value: masked, masked: masked !== value };
}

/**
 * A map of declared names (inputs, vars, outputs) to values: the values are masked, the names are not, since they
 * come from the blueprint and renaming one (a short secret inside `name`) would break what reads it.
 */
export function maskEntries<T extends Record<string, unknown>>(map: T, secrets: readonly string[]): T {
  const patterns = maskPatterns(secrets);
  if (patterns.length === 0) return map;
  let changed = false;
  const entries = Object.entries(map).map(([name, item]) => {
    const masked = maskDeep(item, patterns);
    if (masked !== item) changed = true;
    return [name, masked] as const;
  });
  return changed ? (Object.fromEntries(entries) as T) : map;
}

function maskDeep(value: unknown, patterns: readonly string[]): unknown {
  if (typeof value === 'string') return maskWith(value, patterns);
  if (typeof value === 'number') {
    const text = String(value);
    const masked = maskWith(text, patterns);
    return masked === text ? value : masked;
  }
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const masked = maskDeep(item, patterns);
      if (masked !== item && !copy) copy = value.slice(0, i);
      if (copy) copy.push(masked);
    }
    return copy ?? value;
  }
  if (value !== null && typeof value === 'object') {
    let changed = false;
    const entries = Object.entries(value).map(([key, item]) => {
      const maskedKey = maskWith(key, patterns);
      const maskedItem = maskDeep(item, patterns);
      if (maskedKey !== key || maskedItem !== item) changed = true;
      return [maskedKey, maskedItem] as const;
    });
    return changed ? Object.fromEntries(entries) : value;
  }
  return value;
}

/**
 * Masks a stream of text chunks. A secret (or one line of it) may be split across chunks, so up to (longest
 * pattern - 1) trailing characters are held back until the next chunk or flush().
 */
export class StreamMasker {
  private readonly secrets: string[];
  private readonly holdBack: number;
  private carry = '';

  constructor(secrets: readonly string[]) {
    this.secrets = maskPatterns(secrets);
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
