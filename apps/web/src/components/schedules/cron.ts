/** Common cron expressions, offered beside the field. */
export const cronPresets = [
  { label: "hourly", cron: "0 * * * *" },
  { label: "daily at 03:00", cron: "0 3 * * *" },
  { label: "Mondays at 06:00", cron: "0 6 * * 1" },
  { label: "monthly", cron: "0 4 1 * *" },
] as const;

const names: Record<string, string> = { "@hourly": "every hour", "@daily": "every day at midnight", "@weekly": "every Sunday at midnight", "@monthly": "on the 1st at midnight", "@yearly": "on January 1st", "@annually": "on January 1st" };

/** A few common shapes in words ("every day at 03:00"); anything else is shown as the expression alone. */
export function describeCron(cron: string): string | null {
  const expression = cron.trim();
  if (names[expression.toLowerCase()]) return names[expression.toLowerCase()] ?? null;
  const [minute, hour, dom, month, dow] = expression.split(/\s+/);
  const at = (h: string, m: string) => `${h.padStart(2, "0")}:${m.padStart(2, "0")}`;
  const digits = (s: string | undefined): s is string => s !== undefined && /^\d+$/.test(s);
  if (digits(minute) && hour === "*" && dom === "*" && month === "*" && dow === "*") return `every hour at :${minute.padStart(2, "0")}`;
  if (!digits(minute) || !digits(hour) || month !== "*") return null;
  if (dom === "*" && dow === "*") return `every day at ${at(hour, minute)}`;
  const days = ["Sundays", "Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays"];
  if (dom === "*" && digits(dow)) return `${days[Number(dow)] ?? `day ${dow}`} at ${at(hour, minute)}`;
  if (digits(dom) && dow === "*") return `monthly on day ${dom} at ${at(hour, minute)}`;
  return null;
}
