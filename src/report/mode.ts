// Picks live (TTY) or plain output and whether to colour it, from the stream and NO_COLOR / FORCE_COLOR / CI.
export interface OutputChoice {
  mode: 'tty' | 'plain';
  color: boolean;
}

const isSet = (value: string | undefined): value is string => value !== undefined && value !== '';
const isOff = (value: string): boolean => value === '0' || value.toLowerCase() === 'false';

export function chooseOutputMode(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): OutputChoice {
  const tty = stream.isTTY === true;
  const dumb = env.TERM === 'dumb';
  // CI logs are files: no cursor movement there, even when the runner fakes a TTY.
  const ci = isSet(env.CI) && !isOff(env.CI);
  const mode = tty && !ci && !dumb ? 'tty' : 'plain';
  let color = tty && !dumb;
  if (isSet(env.FORCE_COLOR)) color = !isOff(env.FORCE_COLOR);
  if (isSet(env.NO_COLOR)) color = false;
  return { mode, color };
}
