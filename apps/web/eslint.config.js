import { baseConfig } from "@gantry/eslint-config/base";
import { nextConfig } from "@gantry/eslint-config/next";

export default [...baseConfig, ...nextConfig, { ignores: ["next-env.d.ts", ".next/**", "playwright-report/**", "test-results/**"] }];
