import js from "@eslint/js";
import tseslint from "typescript-eslint";

/**
 * Shared flat config. Type-aware rules are left out on purpose: `pnpm typecheck` already runs
 * tsc, and type-aware lint doubles the cost on a 2-core machine.
 */
export const baseConfig = tseslint.config(
  { ignores: ["**/node_modules/**", "**/.next/**", "**/dist/**", "**/.cache/**", "**/drizzle/**", "**/*.d.ts"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts", "**/*.tsx"],
    rules: {
      "@typescript-eslint/consistent-type-imports": ["error", { prefer: "type-imports", fixStyle: "separate-type-imports" }],
      "@typescript-eslint/no-non-null-assertion": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-definitions": ["error", "type"],
    },
  },
  {
    // Only env.ts files (and test/launcher scripts) read process.env.
    files: ["**/*.ts", "**/*.tsx"],
    ignores: ["**/env.ts", "**/*.test.ts", "**/test/**", "**/testing/**", "**/e2e/**", "**/scripts/**", "**/*.config.ts", "**/bench/**", "**/cli/**"],
    rules: {
      "no-restricted-properties": ["error", { object: "process", property: "env", message: "Read settings through the deployable's env.ts." }],
    },
  },
);
