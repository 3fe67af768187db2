// How live log text joins the log a task page fetched: by the bytes of the file each piece stands for.

/**
 * 'skip' (the fetched log has it already), 'refetch' (it starts past the end the page has: text was missed, as when
 * the live stream was reopened) or 'append'. `sizes` is how far the fetch read each stream; pieces without a byte
 * range are appended.
 */
export function joinLogText(sizes, piece) {
  const have = sizes ? sizes[piece.stream] : undefined;
  if (typeof have !== 'number' || typeof piece.from !== 'number' || typeof piece.to !== 'number') return 'append';
  if (piece.to <= have) return 'skip';
  return piece.from > have ? 'refetch' : 'append';
}
