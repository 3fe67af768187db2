// ExpressionError: a user's expression failed to parse or evaluate; carries the offset within the expression source.

export class ExpressionError extends Error {
  /** Offset within the expression source, when known. */
  readonly position: number | undefined;
  /** The expression source the error is about, when known. */
  readonly expression: string | undefined;

  constructor(message: string, position?: number, expression?: string) {
    super(message);
    this.name = 'ExpressionError';
    this.position = position;
    this.expression = expression;
  }
}
