// Masking secret values (`***`) inside strings, keys and numbers at any depth of a value.

const MASK = '***';

function maskString(text: string, secrets: string[]): string {
  let out = text;
  for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join(MASK);
  return out;
}

function maskValue(value: unknown, secrets: string[]): unknown {
  if (typeof value === 'string') return maskString(value, secrets);
  // A number that spells a secret (a PIN) would leak it when printed, so it becomes the masked text.
  if (typeof value === 'number') {
    const text = String(value);
    const masked = maskString(text, secrets);
    return masked === text ? value : masked;
  }
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const masked = maskValue(item, secrets);
      if (masked !== item && !copy) copy = value.slice(0, i);
      if (copy) copy.push(masked);
    }
    return copy ?? value;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    let changed = false;
    const maskedEntries = entries.map(([key, item]) => {
      const maskedKey = maskString(key, secrets);
      const maskedItem = maskValue(item, secrets);
      if (maskedKey !== key || maskedItem !== item) changed = true;
      return [maskedKey, maskedItem] as const;
    });
    return changed ? Object.fromEntries(maskedEntries) : value;
  }
  return value;
}

/** Replace every occurrence of a (non-empty) secret inside strings, keys and numbers, deep; unchanged input is returned as is. */
export function maskSecrets(value: unknown, secrets: string[]): { value: unknown; masked: boolean } {
  // Longest first, so a secret that contains another is masked whole.
  const active = [...new Set(secrets.filter((s) => typeof s === 'string' && s.length > 0))].sort((a, b) => b.length - a.length);
  if (active.length === 0) return { value, masked: false };
  const result = maskValue(value, active);
  return { value: result, masked: result !== value };
}
