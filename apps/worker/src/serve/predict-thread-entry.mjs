// The predict thread's entry: worker threads do not inherit tsx from `--import`, so it registers
// tsx here and then loads the TypeScript module.
import { register } from "tsx/esm/api";

register();
await import("./predict-thread.ts");
