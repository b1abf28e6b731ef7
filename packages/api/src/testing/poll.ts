/**
 * Polls until `check` holds and returns the value read; throws naming `what` (with the last value)
 * past the deadline. For tests that wait on another process or a background loop: the deadline is
 * generous because machines are shared; it is not a timing assertion.
 */
export async function until<T>(read: () => Promise<T>, check: (value: T) => boolean, what: string, deadlineMs = 120_000, intervalMs = 100): Promise<T> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
