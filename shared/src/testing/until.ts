/** Polls `condition` until it holds; fails after `timeoutMs` with `what`. */
export async function until(
  condition: () => Promise<boolean>,
  what = 'condition',
  timeoutMs = 30_000,
): Promise<void> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) throw new Error(`${what}: not met in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
