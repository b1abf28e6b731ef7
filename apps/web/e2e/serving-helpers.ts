import type { Page } from "@playwright/test";
import { expect } from "@playwright/test";

/* What the serving specs share: a churn CSV, a fresh org, training through the form, and sending until a version answers. */

export const unique = Date.now().toString(36);

export type ChurnRow = { tenure: number; tickets: number; plan: "basic" | "pro"; churned: "yes" | "no" };

/**
 * Churn rows whose label follows their columns (deterministic: a seeded LCG). `changed`: the world
 * after a change: tenure 60–149 and tickets 8–15 (outside the usual ranges) and the label
 * relationship reversed (long-tenured customers with few tickets now leave).
 */
export function churnRows(rows: number, seed = 19570804, changed = false): ChurnRow[] {
  let state = seed;
  const random = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  return Array.from({ length: rows }, () => {
    const tenure = Math.floor(random() * 60) + (changed ? 60 + Math.floor(random() * 30) : 0);
    const tickets = Math.floor(random() * 8) + (changed ? 8 : 0);
    const plan = random() < 0.5 ? "basic" : "pro";
    const noise = random() - 0.5;
    const score = changed ? (tenure - 105) / 30 - (tickets - 11.5) / 4 + noise : tickets / 4 - tenure / 30 + (plan === "basic" ? 0.5 : 0) + noise;
    return { tenure, tickets, plan, churned: score > 0 ? "yes" : "no" };
  });
}

/** The rows as a CSV with a header. */
export function churnCsv(rows: number, seed = 19570804, changed = false): string {
  const lines = ["tenure,tickets,plan,churned", ...churnRows(rows, seed, changed).map((r) => `${r.tenure},${r.tickets},${r.plan},${r.churned}`)];
  return `${lines.join("\n")}\n`;
}

/** Signs a new user up and creates the org `<prefix>-<unique>`; returns its slug and the user's email. */
export async function signUp(page: Page, prefix = "serving"): Promise<{ org: string; email: string }> {
  const org = `${prefix}-${unique}`;
  const email = `grace-${prefix}-${unique}@example.test`;
  await page.goto("/signup");
  await page.getByLabel("Name").fill("Grace Hopper");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("compiler pioneer 1952");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/onboarding/);
  await page.getByLabel("Organisation name").fill("Serving");
  await page.getByLabel("URL slug").fill(org);
  await page.getByRole("button", { name: "Create organisation" }).click();
  await expect(page).toHaveURL(new RegExp(`/o/${org}$`));
  return { org, email };
}

/** Uploads the churn CSV as a new version of dataset `churn` (version 1 first); `changed` as in churnRows. */
export async function uploadChurn(page: Page, org: string, rows = 160, changed = false) {
  const upload = await page.request.post("/api/v1/datasets/churn/versions?fileName=churn.csv", { headers: { "x-gantry-org": org, "content-type": "text/csv" }, data: churnCsv(rows, changed ? 20260501 : 19570804, changed) });
  expect(upload.status()).toBe(201);
}

/** Trains on churn v1 through the training form, registering the model; waits for the job to succeed. */
export async function train(page: Page, org: string, register: { model: string; alias?: string }) {
  await page.goto(`/o/${org}/jobs/new?dataset=churn&version=1`);
  await page.getByLabel("Target", { exact: true }).selectOption("churned");
  await page.getByLabel("Hidden layers", { exact: true }).fill("8");
  await page.getByLabel("Epochs", { exact: true }).fill("2");
  await page.getByLabel("Batch size", { exact: true }).fill("32");
  await page.getByLabel("Register as model (optional)").fill(register.model);
  if (register.alias) await page.getByLabel("Alias (optional)").fill(register.alias);
  await page.getByRole("button", { name: "Start training" }).click();
  await expect(page).toHaveURL(new RegExp(`/o/${org}/jobs/[0-9a-f-]{36}$`));
  await expect(page.getByTestId("job-status")).toHaveText("succeeded", { timeout: 240_000 });
}

/** Sends the console's body until the endpoint answers 200 from `version` (a deploy reaches the serving process within moments). */
export async function sendUntilServedBy(page: Page, version: number) {
  const response = page.getByLabel("Response", { exact: true });
  await expect(async () => {
    await page.getByRole("button", { name: "Send", exact: true }).click();
    await expect(page.getByTestId("try-it-status")).toHaveText("200", { timeout: 3_000 });
    await expect(response).toContainText(`"model_version": "${version}"`, { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
}
