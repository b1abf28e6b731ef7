import type { NextConfig } from "next";

const config: NextConfig = {
  reactStrictMode: true,
  // Workspace packages export TypeScript source.
  transpilePackages: ["@gantry/api", "@gantry/db", "@gantry/schema"],
  // Native and Node-only modules stay out of the bundle.
  serverExternalPackages: ["@node-rs/argon2", "postgres"],
  typedRoutes: false,
  // Lint and typecheck run as their own CI steps.
  typescript: { ignoreBuildErrors: false },
};

export default config;
