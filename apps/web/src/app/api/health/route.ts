import { handleHealth } from "@gantry/api/http";

import { database } from "~/server/db";

export const dynamic = "force-dynamic";

export const GET = () => handleHealth(database().sql);
