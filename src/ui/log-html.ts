// Log text as HTML: terminal sequences stripped but colours, ansi-to-html with everything escaped, colours as classes
// (the page's CSP allows no inline style attributes).
import Convert from 'ansi-to-html';
import { sanitizeKeepingColours } from '../report/sanitize.js';

/** The xterm 256-colour palette, as ansi-to-html and terminals use it. */
const PALETTE: [number, number, number][] = (() => {
  const base = ['000', 'a00', '0a0', 'a50', '00a', 'a0a', '0aa', 'aaa', '555', 'f55', '5f5', 'ff5', '55f', 'f5f', '5ff', 'fff'];
  const colours: [number, number, number][] = base.map((h) => [0, 1, 2].map((i) => parseInt(h[i]! + h[i]!, 16)) as [number, number, number]);
  const level = [0, 95, 135, 175, 215, 255];
  for (let r = 0; r < 6; r++) for (let g = 0; g < 6; g++) for (let b = 0; b < 6; b++) colours.push([level[r]!, level[g]!, level[b]!]);
  for (let i = 0; i < 24; i++) colours.push([8 + i * 10, 8 + i * 10, 8 + i * 10]);
  return colours;
})();

const MARKERS: Record<number, string> = Object.fromEntries(PALETTE.map((_, i) => [i, `p${i}`]));

function nearest(hex: string): number {
  const rgb = [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16));
  let best = 0;
  let bestDistance = Infinity;
  PALETTE.forEach((c, i) => {
    const d = (c[0] - rgb[0]!) ** 2 + (c[1] - rgb[1]!) ** 2 + (c[2] - rgb[2]!) ** 2;
    if (d < bestDistance) [best, bestDistance] = [i, d];
  });
  return best;
}

/** One colour declaration → a class: `ansi-fg-N` / `ansi-bg-N` (a true colour takes the nearest palette entry). */
function classOf(declaration: string): string | null {
  const m = /^\s*(color|background-color)\s*:\s*(?:p(\d{1,3})|#([0-9a-f]{6}))\s*$/i.exec(declaration);
  if (!m) return null;
  const index = m[2] !== undefined ? Number(m[2]) : nearest(m[3]!.toLowerCase());
  return `ansi-${m[1]!.toLowerCase() === 'color' ? 'fg' : 'bg'}-${index}`;
}

/** Converts one stream's text; `stream` keeps colour state across chunks of a log that is still growing. */
export class LogHtml {
  /** Made on first use: building one costs ~0.1 ms, and a run catching up tracks thousands of attempts. */
  private converter: Convert | null = null;
  /** A control sequence cut at the end of a chunk waits for the rest. */
  private pending = '';

  push(text: string): string {
    let input = this.pending + text;
    const cut = /\x1b(?:\[[0-9;:?]*)?$/.exec(input);
    this.pending = cut ? cut[0] : '';
    if (cut) input = input.slice(0, cut.index);
    if (input === '') return '';
    this.converter ??= new Convert({ escapeXML: true, stream: true, colors: MARKERS });
    return this.converter.toHtml(sanitizeKeepingColours(input)).replace(/<span style="([^"]*)">/g, (_, style: string) => {
      const classes = style.split(';').map(classOf).filter((c): c is string => c !== null);
      return classes.length > 0 ? `<span class="${classes.join(' ')}">` : '<span>';
    });
  }
}

export function logToHtml(text: string): string {
  return new LogHtml().push(text);
}

/** The stylesheet for the colour classes, served as /vendor/ansi.css. */
export function ansiCss(): string {
  const hex = (c: [number, number, number]): string => `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
  return PALETTE.map((c, i) => `.ansi-fg-${i}{color:${hex(c)}}.ansi-bg-${i}{background-color:${hex(c)}}`).join('\n') + '\n';
}
