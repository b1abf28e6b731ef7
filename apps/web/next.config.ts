import type { NextConfig } from "next";

const config: NextConfig = {
  reactStrictMode: true,
  // Workspace packages export TypeScript source.
  transpilePackages: ["@gantry/api", "@gantry/db", "@gantry/ml", "@gantry/schema"],
  // Native and Node-only modules stay out of the bundle (pg-boss: the job service sends through it, and it loads `pg`;
  // TensorFlow.js: model uploads load the model to check it, on its built-in cpu backend).
  serverExternalPackages: ["@node-rs/argon2", "postgres", "pg-boss", "@tensorflow/tfjs"],
  typedRoutes: false,
  // Lint and typecheck run as their own CI steps.
  typescript: { ignoreBuildErrors: false },
};

export default config;
