/** Only same-site paths: an open redirect through ?callbackUrl= is a phishing aid. */
export function safeCallbackUrl(value: string | string[] | undefined, fallback = "/"): string {
  const v = Array.isArray(value) ? value[0] : value;
  return v && v.startsWith("/") && !v.startsWith("//") ? v : fallback;
}
