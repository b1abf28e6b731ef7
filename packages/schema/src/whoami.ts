import { z } from "zod";

import { ZScope } from "./api-key";
import { ZRole } from "./org";

export const ZWhoami = z.object({
  kind: z.enum(["user", "api_key"]),
  user: z.object({ id: z.uuid(), email: z.string(), name: z.string().nullable() }).nullable(),
  key: z.object({ id: z.uuid(), label: z.string() }).nullable(),
  org: z.object({ id: z.uuid(), slug: z.string(), name: z.string() }).nullable(),
  role: ZRole.nullable(),
  scopes: z.array(ZScope),
});
export type Whoami = z.infer<typeof ZWhoami>;
