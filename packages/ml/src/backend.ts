import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { tf } from "./tf";

export type BackendName = "tensorflow" | "wasm" | "cpu";
export type BackendChoice = { name: BackendName; tried: { name: BackendName; error: string }[] };

const require = createRequire(import.meta.url);

/**
 * Chooses the TensorFlow.js backend at run time: tfjs-node (native libtensorflow) where it is
 * installed and loads, else WebAssembly (its .wasm files ship in the npm package, so it works
 * offline), else the pure-JS cpu backend. Returns what was chosen and why the others were not.
 */
export async function selectBackend(options: { prefer?: BackendName[] } = {}): Promise<BackendChoice> {
  const order = options.prefer ?? ["tensorflow", "wasm", "cpu"];
  const tried: BackendChoice["tried"] = [];
  for (const name of order) {
    try {
      await activate(name);
      return { name, tried };
    } catch (error) {
      tried.push({ name, error: error instanceof Error ? error.message.split("\n")[0] ?? String(error) : String(error) });
    }
  }
  throw new Error(`No TensorFlow.js backend could start: ${tried.map((t) => `${t.name}: ${t.error}`).join("; ")}`);
}

let ensured: Promise<unknown> | undefined;

/** Selects a backend unless one was selected already (by `selectBackend` or tf's own first use). */
export async function ensureBackend(): Promise<void> {
  if (tf.engine().backendName) return;
  ensured ??= selectBackend().catch((error: unknown) => {
    ensured = undefined;
    throw error;
  });
  await ensured;
}

async function activate(name: BackendName) {
  if (name === "tensorflow") {
    // Optional: its install downloads libtensorflow, which is not possible everywhere.
    await import(/* @vite-ignore */ "@tensorflow/tfjs-node" as string);
  }
  if (name === "wasm") {
    const wasm = await import("@tensorflow/tfjs-backend-wasm");
    const dist = path.dirname(require.resolve("@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm"));
    wasm.setWasmPaths(pathToFileURL(dist + path.sep).href.replace(/^file:\/\//, ""));
  }
  if (!(await tf.setBackend(name))) throw new Error(`tf.setBackend('${name}') returned false`);
  await tf.ready();
}

export { tf };
