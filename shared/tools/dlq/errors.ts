/** A failure the operator can act on: the CLI prints its message alone, without a stack trace. */
export class DlqToolError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DlqToolError';
  }
}
