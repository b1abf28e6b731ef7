import { expect, test } from "@playwright/test";

import { gantry } from "./cli";
import { churnRows, sendUntilServedBy, signUp, train, uploadChurn } from "./serving-helpers";

/** Inputs from the changed world (tenure 60–149 and tickets 8–15: outside the training ranges; plan as before), without the label. */
function shiftedRows(n: number, seed: number) {
  return churnRows(n, seed, true).map(({ tenure, tickets, plan }) => ({ tenure, tickets, plan }));
}

test("the monitoring loop: drift fires an alert, the policy retrains, the challenger passes the gate, a canary promotes it; webhooks", async ({ page, baseURL }) => {
  // One training for the champion and one started by the policy, on the real worker; the worker's ticks are each a minute: every wait is for a state.
  test.setTimeout(900_000);
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

  // The endpoint's monitoring dashboard: what it serves, traffic, and no monitors yet.
  await page.getByRole("link", { name: "Monitoring →" }).click();
  await expect(page).toHaveURL(new RegExp(`/o/${org}/endpoints/churn-api/monitoring$`));
  await expect(page.getByRole("heading", { name: "Monitoring: churn-api", level: 1 })).toBeVisible();
  await expect(page.getByTestId("monitoring-serving")).toContainText("churn-model v1");
  await expect(page.getByRole("img", { name: "Requests and errors per minute of churn-api" }).locator("canvas")).toHaveCount(1);
  await expect(page.getByText("No monitors on this endpoint yet.")).toBeVisible();
  await expect(page.getByText("No alerts on churn-api.")).toBeVisible();

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

  // A retraining policy from the editor: on a data drift alert (or by hand), gate on test_roc_auc, a 50% → 100% canary.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: /^Retraining/ }).click();
  await expect(page.getByText("No retraining policies yet.")).toBeVisible();
  await page.getByRole("link", { name: "New policy" }).click();
  await expect(page.getByRole("heading", { name: "New retraining policy", level: 1 })).toBeVisible();
  // The lists load in the browser: once they show, the form is live.
  await expect(page.getByLabel("Model", { exact: true })).toHaveValue("churn-model");
  await expect(page.getByLabel("Endpoint", { exact: true })).toHaveValue("churn-api");
  await page.getByLabel("Policy name").fill("churn-retrain");
  await expect(page.getByRole("checkbox", { name: "Data drift alert" })).toBeChecked();
  await expect(page.getByRole("checkbox", { name: "By hand (Run now)" })).toBeChecked();
  await expect(page.getByLabel("Dataset", { exact: true })).toHaveValue("churn");
  await page.getByLabel("Epochs").fill("20");
  await page.getByLabel("Hidden layers").fill("8");
  await page.getByLabel("Other spec fields (JSON)").fill('{"batchSize": 32');
  await page.getByRole("button", { name: "Create policy" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "not valid JSON" })).toBeVisible();
  await page.getByLabel("Other spec fields (JSON)").fill('{"batchSize": 32}');
  await page.getByLabel("Canary steps (%)").fill("50, 100");
  await page.getByLabel("Canary step every (minutes)").fill("0.5");
  // No target yet: the server names it, shown next to the field.
  await page.getByRole("button", { name: "Create policy" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "target is required" })).toBeVisible();
  await expect(page.getByLabel("Target column")).toHaveAttribute("aria-invalid", "true");
  await page.getByLabel("Target column").fill("churned");
  await page.getByRole("button", { name: "Create policy" }).click();
  await expect(page).toHaveURL(new RegExp(`/o/${org}/retraining/[0-9a-f-]{36}$`));
  const policyUrl = page.url();
  await expect(page.getByRole("heading", { name: "churn-retrain", level: 1 })).toBeVisible();
  const settings = page.getByLabel("Policy settings");
  await expect(settings).toContainText("data drift");
  await expect(settings).toContainText("manual");
  await expect(settings).toContainText("test_roc_auc");
  await expect(settings).toContainText("50 → 100");
  await expect(page.getByText("No runs yet.")).toBeVisible();

  // The world changes: fresh labelled data (churn v2) in which long-tenured customers leave, and traffic like it.
  await uploadChurn(page, org, 1_000, true);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "API keys" }).click();
  await expect(page.getByRole("heading", { name: "API keys", level: 1 })).toBeVisible();
  await page.getByLabel("Name", { exact: true }).fill("traffic");
  await page.getByRole("checkbox", { name: /predict/ }).check();
  await page.getByRole("button", { name: "Create key" }).click();
  await expect(page.getByTestId("api-key-secret")).toHaveValue(/^gky_/);
  const key = await page.getByTestId("api-key-secret").inputValue();
  // Through the serving port with the real CLI.
  const answer = JSON.parse(await gantry(["--json", "predict", "churn-api", JSON.stringify(shiftedRows(150, 7))], { GANTRY_URL: baseURL ?? "", GANTRY_API_KEY: key })) as { predictions: unknown[] };
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

  // Production traffic from the changed world keeps coming (10 rows a request) from now on, for the canary to judge the challenger by.
  const serveUrl = process.env.GANTRY_E2E_SERVE_URL ?? "";
  const statuses: number[] = [];
  let sending = true;
  const traffic = (async () => {
    // Bounded, should the test fail before it stops the loop.
    for (let seed = 100, until = Date.now() + 600_000; sending && Date.now() < until; seed++) {
      const response = await fetch(`${serveUrl}/orgs/${org}/v1/models/churn-api:predict`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify({ instances: shiftedRows(10, seed) }),
      });
      statuses.push(response.status);
      await response.arrayBuffer();
      await new Promise((r) => setTimeout(r, 250));
    }
  })();

  // The alert names the shifted feature, on the dashboard; it started the policy: the timeline shows the trigger and the job.
  const endpointAlerts = page.getByRole("table", { name: "Alerts on churn-api" });
  await expect(endpointAlerts).toContainText("churn-drift: Data drift on churn-api");
  await expect(endpointAlerts).toContainText("tenure");
  await expect(endpointAlerts).toContainText("firing");
  const run = page.getByTestId("retrain-run").first();
  const events = run.getByTestId("timeline-event");
  await expect(events.nth(0)).toContainText(/alert: Data drift on churn-api: .*tenure/);
  await expect(events.nth(1)).toContainText("training job submitted on churn");
  // (Small data: the job may be done by now, and the challenger judged.)
  await expect(run.getByTestId("retrain-run-status")).toHaveText(/training|gating|rolling out/);

  // The org's alerts inbox and monitoring overview list it too.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: /^Alerts/ }).click();
  const alerts = page.getByRole("table", { name: "Alerts" });
  await expect(alerts).toContainText("churn-drift: Data drift on churn-api");
  await expect(alerts).toContainText("firing");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: /^Monitoring/ }).click();
  await expect(page.getByRole("table", { name: "Monitors" })).toContainText("churn-drift");
  await expect(page.getByRole("table", { name: "Monitors" })).toContainText("drift");

  // A second run is refused while one is in flight; the job trained on churn v2.
  await page.goto(policyUrl);
  await page.getByRole("button", { name: "Run now", exact: true }).click();
  await expect(page.getByTestId("retrain-refused")).toContainText(/is still (training|gating|rolling_out)/);
  await page.getByTestId("retrain-run").first().getByRole("link", { name: "training job →" }).first().click();
  await expect(page).toHaveURL(new RegExp(`/o/${org}/jobs/[0-9a-f-]{36}$`));
  await expect(page.getByTestId("job-status")).toHaveText("succeeded", { timeout: 240_000 });

  // Back on the dashboard, the loop closes: the challenger registered and passed the gate, the canary ramped, v2 promoted.
  await page.goto(`/o/${org}/endpoints/churn-api/monitoring`);
  await expect(events.filter({ hasText: "challenger registered as version 2" })).toBeVisible({ timeout: 90_000 });
  await expect(run.getByRole("link", { name: "churn-model v2 →" }).first()).toHaveAttribute("href", `/o/${org}/models/churn-model`);
  await expect(events.filter({ hasText: /passed: test_roc_auc on the same holdout \(\d+ rows\): challenger v2 0\.\d+ vs champion v1 0\.\d+/ })).toBeVisible({ timeout: 90_000 });
  await expect(events.filter({ hasText: "canary started: 50 → 100%" })).toBeVisible();
  await expect(run.getByTestId("retrain-run-status")).toHaveText("promoted", { timeout: 300_000 });
  await expect(events.last()).toContainText("v2 promoted: alias champion moved, serving 100%");
  await expect(page.getByTestId("monitoring-serving")).toContainText("churn-model v2");
  await expect(page.getByLabel("Serving now")).toContainText("single version");
  await expect(endpointAlerts).toContainText("churn-drift: Data drift on churn-api");
  sending = false;
  await traffic;
  // Every request of the rollout answered.
  expect(statuses.length).toBeGreaterThan(20);
  expect(statuses.filter((status) => status !== 200)).toEqual([]);

  // The alert was pushed to the webhook, whose receiver is down: the delivery waits for its next attempt, with the error.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Webhooks" }).click();
  const deliveries = page.getByRole("table", { name: "Deliveries of ops-pager" });
  await expect(deliveries).toContainText("alert.fired");
  await expect(deliveries).toContainText(/ECONNREFUSED/, { timeout: 30_000 });
  await expect(deliveries).toContainText(/pending|failed/);
});
