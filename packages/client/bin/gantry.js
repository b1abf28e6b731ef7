#!/usr/bin/env node
// The CLI runs from TypeScript source through tsx's loader (no build step in the repo).
import { register } from "tsx/esm/api";

register();
await import("../src/cli/main.ts");
