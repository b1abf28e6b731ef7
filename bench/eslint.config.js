import { baseConfig } from "@gantry/eslint-config/base";

// Benchmarks are scripts: they read their knobs (BENCH_SECONDS, DATABASE_URL) directly.
export default [...baseConfig, { rules: { "no-restricted-properties": "off" } }];
