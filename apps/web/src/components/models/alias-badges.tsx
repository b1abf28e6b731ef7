import { Badge } from "~/components/ui/card";

/** A version's aliases (`champion`, `challenger` …) as badges, `@`-prefixed as in `models:/name@alias`. */
export function AliasBadges({ aliases }: { aliases: string[] }) {
  if (!aliases.length) return null;
  return (
    <span className="inline-flex flex-wrap gap-1">
      {aliases.map((a) => (
        <Badge key={a} tone="blue">
          @{a}
        </Badge>
      ))}
    </span>
  );
}
