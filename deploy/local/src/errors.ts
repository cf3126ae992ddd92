/**
 * A failure the user can fix. The CLI prints only its message (no stack trace), so the message
 * must name the problem and the fix in one paragraph.
 */
export class StackError extends Error {
  override readonly name = 'StackError';
}
