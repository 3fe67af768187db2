// The one sanitiser for text a task or a user controls (log tails, errors, reasons, names) before baton prints it.

/**
 * Terminal control sequences, longest forms first: string sequences (OSC title/clipboard/links, DCS, SOS, PM, APC)
 * up to BEL or ST or the end; CSI (cursor, clear, colour) in 7- and 8-bit form; two-byte ESC sequences (charset
 * switches such as `ESC ( 0`, reset `ESC c`); then any other C0 control but tab and newline, DEL and C1 controls.
 */
const CONTROL =
  /(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c|$)|(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?|\x1b[\x20-\x2f]*[\x30-\x7e]?|[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;

/** `text` with every terminal control sequence and control character removed (tab and newline are kept). */
export function sanitizeText(text: string): string {
  return text.replace(CONTROL, '');
}

const SGR = /^(?:\x1b\[|\x9b)[0-9;:]*m$/;

/** `text` with every control sequence removed but SGR colour and style (`ESC [ … m`), for a converter that renders them. */
export function sanitizeKeepingColours(text: string): string {
  return text.replace(CONTROL, (m) => (SGR.test(m) ? m : ''));
}
