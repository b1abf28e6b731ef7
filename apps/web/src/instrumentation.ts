/** Runs once when the server starts: fail fast on bad settings instead of on the first request. */
export async function register() {
  // eslint-disable-next-line no-restricted-properties -- set by Next itself, not a setting
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { env } = await import("./env");
    env();
  }
}
