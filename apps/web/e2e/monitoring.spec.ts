import { expect, test } from "@playwright/test";

import { gantry } from "./cli";
import { sendUntilServedBy, signUp, train, uploadChurn } from "./serving-helpers";

/** Rows whose numeric inputs left the training range (tenure 0–59, tickets 0–7 there); plan as before. */
function shiftedRows(n: number) {
  return Array.from({ length: n }, (_, i) => ({ tenure: 120 + (i % 30), tickets: 20 + (i % 6), plan: i % 2 ? "basic" : "pro" }));
}

test("monitor an endpoint for drift, see it fire, then retrain by policy and manage webhooks", async ({ page, baseURL }) => {
  // One training for the champion and one started by the policy, on the real worker: every wait is for a state.
  test.setTimeout(600_000);
  const { org } = await signUp(page, "monitoring");
  await uploadChurn(page, org);

  // A webhook first (settings; admins): a bad URL is refused at its field; the secret is shown once. Its receiver is down.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Webhooks" }).click();
  await expect(page.getByRole("heading", { name: "Webhooks", level: 1 })).toBeVisible();
  await expect(page.getByText("No webhooks.")).toBeVisible();
  await page.getByLabel("Webhook name").fill("ops-pager");
  await page.getByLabel("URL", { exact: true }).fill("ftp://example.test/hook");
  await page.getByRole("button", { name: "Create webhook" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "url must be an http(s) URL" })).toBeVisible();
  await page.getByLabel("URL", { exact: true }).fill("http://127.0.0.1:2/hook");
  await page.getByRole("button", { name: "Create webhook" }).click();
  await expect(page.getByTestId("webhook-secret")).not.toHaveValue("");
  await expect(page.getByRole("heading", { name: "ops-pager" })).toBeVisible();
  await expect(page.getByText("No deliveries yet")).toBeVisible();

  await train(page, org, { model: "churn-model", alias: "champion" });

  // An endpoint serving v1 through @champion.
  await page.goto(`/o/${org}/endpoints`);
  await page.getByLabel("Endpoint name").fill("churn-api");
  await page.getByRole("button", { name: "Create endpoint" }).click();
  await expect(page).toHaveURL(new RegExp(`/o/${org}/endpoints/churn-api$`));
  await page.getByLabel("Model", { exact: true }).selectOption("churn-model");
  await page.getByLabel("Version or alias").selectOption({ label: "@champion (v1)" });
  await page.getByRole("button", { name: "Deploy", exact: true }).click();
  await expect(page.getByTestId("endpoint-serving")).toContainText("churn-model v1");
  await sendUntilServedBy(page, 1);

  // The endpoint's monitoring dashboard: traffic, and no monitors yet.
  await page.getByRole("link", { name: "Monitoring →" }).click();
  await expect(page).toHaveURL(new RegExp(`/o/${org}/endpoints/churn-api/monitoring$`));
  await expect(page.getByRole("heading", { name: "Monitoring: churn-api", level: 1 })).toBeVisible();
  await expect(page.getByRole("img", { name: "Requests and errors per minute of churn-api" }).locator("canvas")).toHaveCount(1);
  await expect(page.getByText("No monitors on this endpoint yet.")).toBeVisible();

  // A data drift monitor from the form; a schedule longer than its window is refused next to the field.
  await page.getByLabel("Monitor name").fill("churn-drift");
  await expect(page.getByLabel("Kind", { exact: true })).toHaveValue("data_drift");
  await page.getByLabel("Window (minutes)").fill("5");
  await page.getByLabel("Every (minutes)").fill("10");
  await page.getByLabel("Minimum rows").fill("50");
  await page.getByRole("button", { name: "Create monitor" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "is longer than config.windowMinutes" })).toBeVisible();
  await expect(page.getByLabel("Every (minutes)")).toHaveAttribute("aria-invalid", "true");
  await page.getByLabel("Window (minutes)").fill("60");
  await page.getByLabel("Every (minutes)").fill("5");
  await page.getByRole("button", { name: "Create monitor" }).click();
  const monitors = page.getByRole("table", { name: "Monitors" });
  await expect(monitors).toContainText("churn-drift");
  await expect(page.getByTestId("monitor-status-churn-drift")).toHaveText("not run yet");

  // Traffic whose inputs moved, through the serving port with a predict key (the real CLI).
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "API keys" }).click();
  await expect(page.getByRole("heading", { name: "API keys", level: 1 })).toBeVisible();
  await page.getByLabel("Name", { exact: true }).fill("traffic");
  await page.getByRole("checkbox", { name: /predict/ }).check();
  await page.getByRole("button", { name: "Create key" }).click();
  await expect(page.getByTestId("api-key-secret")).toHaveValue(/^gky_/);
  const key = await page.getByTestId("api-key-secret").inputValue();
  const answer = JSON.parse(await gantry(["--json", "predict", "churn-api", JSON.stringify(shiftedRows(150))], { GANTRY_URL: baseURL ?? "", GANTRY_API_KEY: key })) as { predictions: unknown[] };
  expect(answer.predictions).toHaveLength(150);

  // Run now until the logged rows are in the window (the log is flushed within moments): drift, on the shifted features.
  await page.goto(`/o/${org}/endpoints/churn-api/monitoring`);
  await expect(async () => {
    await page.getByRole("button", { name: "Run churn-drift now" }).click();
    await expect(page.getByTestId("monitor-status-churn-drift")).toHaveText("drift", { timeout: 3_000 });
  }).toPass({ timeout: 60_000 });
  await expect(monitors).toContainText("tenure");
  // echarts layers a heatmap's canvases: at least one is drawn.
  await expect(page.getByRole("img", { name: "Drift per feature over time of churn-drift" }).locator("canvas").first()).toBeVisible();
  await expect(page.getByTestId("evaluation-summary")).toContainText(/\d+ rows: [23] of 3 features drifted/);
  const tenure = page.getByRole("figure", { name: "tenure: reference vs current" });
  await expect(tenure).toContainText("drift");
  await expect(tenure.getByRole("img", { name: "Reference and current shares of tenure" }).locator("canvas").first()).toBeVisible();

  // The alert names the shifted feature.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: /^Alerts/ }).click();
  const alerts = page.getByRole("table", { name: "Alerts" });
  await expect(alerts).toContainText("churn-drift: Data drift on churn-api");
  await expect(alerts).toContainText("tenure");
  await expect(alerts).toContainText("firing");

  // The org's monitoring overview lists it.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: /^Monitoring/ }).click();
  await expect(page.getByRole("table", { name: "Monitors" })).toContainText("churn-drift");
  await expect(page.getByRole("table", { name: "Monitors" })).toContainText("drift");

  // A retraining policy from the editor, started by hand only.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: /^Retraining/ }).click();
  await expect(page.getByText("No retraining policies yet.")).toBeVisible();
  await page.getByRole("link", { name: "New policy" }).click();
  await expect(page.getByRole("heading", { name: "New retraining policy", level: 1 })).toBeVisible();
  // The lists load in the browser: once they show, the form is live.
  await expect(page.getByLabel("Model", { exact: true })).toHaveValue("churn-model");
  await expect(page.getByLabel("Endpoint", { exact: true })).toHaveValue("churn-api");
  await page.getByLabel("Policy name").fill("churn-retrain");
  await page.getByRole("checkbox", { name: "Data drift alert" }).uncheck();
  await expect(page.getByRole("checkbox", { name: "By hand (Run now)" })).toBeChecked();
  await expect(page.getByLabel("Dataset", { exact: true })).toHaveValue("churn");
  await page.getByLabel("Epochs").fill("2");
  await page.getByLabel("Hidden layers").fill("8");
  await page.getByLabel("Other spec fields (JSON)").fill('{"batchSize": 32');
  await page.getByRole("button", { name: "Create policy" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "not valid JSON" })).toBeVisible();
  await page.getByLabel("Other spec fields (JSON)").fill('{"batchSize": 32}');
  // No target yet: the server names it, shown next to the field.
  await page.getByRole("button", { name: "Create policy" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "target is required" })).toBeVisible();
  await expect(page.getByLabel("Target column")).toHaveAttribute("aria-invalid", "true");
  await page.getByLabel("Target column").fill("churned");
  await page.getByRole("button", { name: "Create policy" }).click();
  await expect(page).toHaveURL(new RegExp(`/o/${org}/retraining/[0-9a-f-]{36}$`));
  await expect(page.getByRole("heading", { name: "churn-retrain", level: 1 })).toBeVisible();
  const settings = page.getByLabel("Policy settings");
  await expect(settings).toContainText("manual");
  await expect(settings).toContainText("test_roc_auc");
  await expect(page.getByText("No runs yet.")).toBeVisible();

  // Run now: the timeline shows the trigger and the training job; a second run is refused while it trains.
  await page.getByRole("button", { name: "Run now", exact: true }).click();
  const run = page.getByTestId("retrain-run").first();
  await expect(run.getByTestId("retrain-run-status")).toHaveText("training");
  const events = run.getByTestId("timeline-event");
  await expect(events.nth(0)).toContainText("trigger");
  await expect(events.nth(0)).toContainText("started by grace-monitoring");
  await expect(events.nth(1)).toContainText("training job submitted on churn");
  await page.getByRole("button", { name: "Run now", exact: true }).click();
  await expect(page.getByTestId("retrain-refused")).toContainText("is still training");
  await run.getByRole("link", { name: "training job →" }).click();
  await expect(page).toHaveURL(new RegExp(`/o/${org}/jobs/[0-9a-f-]{36}$`));
  await expect(page.getByTestId("job-status")).toHaveText("succeeded", { timeout: 240_000 });

  // The worker moves the run a step a minute: the challenger registered (linked to the model), then judged at the gate.
  await page.goBack();
  await expect(events.filter({ hasText: "challenger registered as version 2" })).toBeVisible({ timeout: 150_000 });
  await expect(run.getByRole("link", { name: "churn-model v2 →" }).first()).toHaveAttribute("href", `/o/${org}/models/churn-model`);
  await expect(events.filter({ hasText: "on the same holdout" }).first()).toBeVisible({ timeout: 150_000 });
  await expect(run.getByTestId("retrain-run-status")).toHaveText(/rolling out|rejected/);

  // The alert was pushed to the webhook, whose receiver is down: the delivery waits for its next attempt, with the error.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Webhooks" }).click();
  const deliveries = page.getByRole("table", { name: "Deliveries of ops-pager" });
  await expect(deliveries).toContainText("alert.fired");
  await expect(deliveries).toContainText(/ECONNREFUSED/, { timeout: 30_000 });
  await expect(deliveries).toContainText(/pending|failed/);
});
