import { readFile } from "node:fs/promises";

/** A JSON object from a file named by a flag; errors say which flag and what is wrong. */
export async function readJsonObject(file: string, flag: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new Error(`cannot read ${flag} ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${flag} ${file} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error(`${flag} ${file} must hold a JSON object`);
  return value as Record<string, unknown>;
}
