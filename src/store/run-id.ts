// Run ids: validation and generation of `<yyyymmddThhmmssZ>-<workflow>-<4 random [a-z0-9]>`.

const RUN_ID_PATTERN = /^[A-Za-z0-9_.-]{1,100}$/;
const RANDOM_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const MAX_RUN_ID_LENGTH = 100;
/** "20240102T030405Z" + two '-' + 4 random chars. */
const FIXED_PART_LENGTH = 16 + 2 + 4;

export function isValidRunId(id: string): boolean {
  return RUN_ID_PATTERN.test(id) && id !== '.' && id !== '..';
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

function compactUtcTimestamp(now: Date): string {
  return (
    `${now.getUTCFullYear()}${pad2(now.getUTCMonth() + 1)}${pad2(now.getUTCDate())}` +
    `T${pad2(now.getUTCHours())}${pad2(now.getUTCMinutes())}${pad2(now.getUTCSeconds())}Z`
  );
}

export function generateRunId(workflow: string, now: Date, random: () => number = Math.random): string {
  let name = workflow.replace(/[^A-Za-z0-9_.-]/g, '-').slice(0, MAX_RUN_ID_LENGTH - FIXED_PART_LENGTH);
  if (name === '') name = 'run';
  let suffix = '';
  for (let i = 0; i < 4; i++) {
    // Clamp so a random() that returns exactly 1 still picks a valid character.
    const index = Math.min(RANDOM_ALPHABET.length - 1, Math.max(0, Math.floor(random() * RANDOM_ALPHABET.length)));
    suffix += RANDOM_ALPHABET[index];
  }
  return `${compactUtcTimestamp(now)}-${name}-${suffix}`;
}
