/**
 * `pnpm bench [name…]`: runs the benchmarks (all by default). Each prints its figures and a ratio
 * against a limit measured in the same run. BENCH_SECONDS sets the length of each load phase.
 */
import { benchAuth } from "./auth";
import { benchMonitoring } from "./monitoring";
import { benchServing } from "./serving";
import { benchTracking } from "./tracking";
import { benchTraining } from "./training";

const benches: Record<string, (seconds: number) => Promise<void>> = { auth: benchAuth, tracking: benchTracking, training: benchTraining, serving: benchServing, monitoring: benchMonitoring };

const seconds = Number(process.env.BENCH_SECONDS ?? 8);
const chosen = process.argv.slice(2).filter((a) => a !== "--");
const unknown = chosen.filter((n) => !(n in benches));
if (unknown.length) {
  console.error(`Unknown benchmark ${unknown.join(", ")}; choose from ${Object.keys(benches).join(", ")}`);
  process.exit(2);
}
for (const name of chosen.length ? chosen : Object.keys(benches)) {
  const bench = benches[name];
  if (bench) await bench(seconds);
}
// A benchmark whose checks failed sets process.exitCode (and says so); the others still ran.
process.exit(typeof process.exitCode === "number" ? process.exitCode : 0);
