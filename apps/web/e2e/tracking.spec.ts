import type { Page } from "@playwright/test";
import { expect, test } from "@playwright/test";

const unique = Date.now().toString(36);

/** An MLflow REST client with a Gantry API key, as an MLflow client would log runs. */
function mlflow(baseURL: string, key: string) {
  const call = async <T>(method: "POST" | "PUT", path: string, body: unknown, contentType = "application/json"): Promise<T> => {
    const response = await fetch(`${baseURL}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, "content-type": contentType },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${text}`);
    return (text ? JSON.parse(text) : {}) as T;
  };
  return {
    post: <T>(rpc: string, body: unknown) => call<T>("POST", `/api/2.0/mlflow/${rpc}`, body),
    putArtifact: (experimentId: string, runId: string, path: string, body: string, contentType: string) =>
      call("PUT", `/api/2.0/mlflow-artifacts/artifacts/${experimentId}/${runId}/artifacts/${path}`, body, contentType),
  };
}

type Seeded = { experimentId: string; runs: Record<"run-a" | "run-b" | "run-c", string> };

/** Three finished runs with a 200-step loss curve each, differing in lr, optimizer and auc; a child of run-c; two artifacts. */
async function seed(baseURL: string, key: string, experimentName: string): Promise<Seeded> {
  const api = mlflow(baseURL, key);
  const { experiment_id: experimentId } = await api.post<{ experiment_id: string }>("experiments/create", { name: experimentName });
  const specs = [
    { name: "run-a", lr: "0.1", optimizer: "sgd", auc: 0.72, decay: 30 },
    { name: "run-b", lr: "0.01", optimizer: "adam", auc: 0.85, decay: 50 },
    { name: "run-c", lr: "0.001", optimizer: "adam", auc: 0.91, decay: 80 },
  ] as const;
  const start = Date.now() - 3_600_000;
  const runs = {} as Seeded["runs"];
  for (const [i, s] of specs.entries()) {
    const created = await api.post<{ run: { info: { run_id: string } } }>("runs/create", {
      experiment_id: experimentId,
      run_name: s.name,
      start_time: start + i * 60_000,
      tags: [{ key: "mlflow.user", value: "ada" }, { key: "team", value: "churn" }],
    });
    const runId = created.run.info.run_id;
    runs[s.name] = runId;
    const loss = Array.from({ length: 200 }, (_, step) => ({ key: "loss", value: Math.exp(-step / s.decay) + 0.05 * Math.sin(step / 3), timestamp: start + i * 60_000 + step * 1000, step }));
    await api.post("runs/log-batch", {
      run_id: runId,
      params: [
        { key: "lr", value: s.lr },
        { key: "optimizer", value: s.optimizer },
        { key: "epochs", value: "200" },
      ],
      metrics: [...loss, { key: "auc", value: s.auc, timestamp: start + i * 60_000 + 200_000, step: 199 }],
    });
    await api.post("runs/update", { run_id: runId, status: "FINISHED", end_time: start + i * 60_000 + 200_000 });
  }
  await api.post("runs/create", { experiment_id: experimentId, run_name: "fold-1", start_time: start + 300_000, tags: [{ key: "mlflow.parentRunId", value: runs["run-c"] }] });
  await api.putArtifact(experimentId, runs["run-c"], "eval/summary.json", JSON.stringify({ auc: 0.91, threshold: 0.5 }), "application/json");
  await api.putArtifact(experimentId, runs["run-c"], "predictions.csv", "id,score\n1,0.93\n2,0.12\n", "text/csv");
  return { experimentId, runs };
}

async function signUpWithKey(page: Page): Promise<{ org: string; key: string }> {
  const org = `trackers-${unique}`;
  await page.goto("/signup");
  await page.getByLabel("Name").fill("Grace Hopper");
  await page.getByLabel("Email").fill(`grace-${unique}@example.test`);
  await page.getByLabel("Password").fill("compiler pioneer 1952");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/onboarding/);
  await page.getByLabel("Organisation name").fill("Trackers");
  await page.getByLabel("URL slug").fill(org);
  await page.getByRole("button", { name: "Create organisation" }).click();
  await expect(page).toHaveURL(new RegExp(`/o/${org}$`));

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "API keys" }).click();
  await page.getByLabel("Name").fill("mlflow");
  await page.getByRole("checkbox", { name: /write/ }).check();
  await page.getByRole("button", { name: "Create key" }).click();
  const key = await page.getByTestId("api-key-secret").inputValue();
  expect(key).toMatch(/^gky_/);
  return { org, key };
}

test("log runs over MLflow's REST API, then filter, chart and compare them in the portal", async ({ page, baseURL }) => {
  const { org, key } = await signUpWithKey(page);
  const experimentName = `churn-${unique}`;
  const seeded = await seed(baseURL ?? "", key, experimentName);

  // The experiments list; a duplicate name is refused with the server's message.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: /^Experiments/ }).click();
  const experiments = page.getByRole("table", { name: "Experiments" });
  await expect(experiments).toContainText(experimentName);
  await page.getByLabel("Name").fill(experimentName);
  await page.getByRole("button", { name: "Create experiment" }).click();
  await expect(page.getByRole("alert").filter({ hasText: `Experiment '${experimentName}' already exists` })).toBeVisible();

  // The runs table: four runs, then two once filtered on auc.
  await experiments.getByRole("link", { name: experimentName, exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/experiments/${seeded.experimentId}`));
  await expect(page.getByRole("heading", { name: experimentName })).toBeVisible();
  const runsTable = page.getByRole("table", { name: "Runs" });
  const rows = runsTable.locator("tbody tr");
  await expect(rows).toHaveCount(4);
  await expect(runsTable.getByText("finished").first()).toBeVisible();

  const filter = page.getByLabel("Filter runs", { exact: true });
  await filter.fill("metrics.auc > 0.8");
  await filter.press("Enter");
  await expect(rows).toHaveCount(2);
  await expect(runsTable).toContainText("run-b");
  await expect(runsTable).toContainText("run-c");
  await expect(runsTable).not.toContainText("run-a");

  // A bad filter: an inline error that points at the token.
  await filter.fill("metrics.auc >> 0.8");
  await filter.press("Enter");
  const error = page.getByTestId("filter-error");
  await expect(error).toContainText("Position 13");
  await expect(error.locator("mark")).toHaveText(">>");
  await expect(filter).toHaveAttribute("aria-invalid", "true");

  // Clearing it brings every run back; a metric header sorts, and says so.
  await page.getByRole("button", { name: "Clear" }).click();
  await expect(rows).toHaveCount(4);
  await runsTable.getByRole("button", { name: /metric auc/ }).click();
  await expect(runsTable.locator("th[aria-sort=descending]")).toContainText("auc");
  await expect(rows.first()).toContainText("run-c");

  // A run: its header, params, a chart per metric, artifacts and child runs.
  await runsTable.getByRole("link", { name: "run-c" }).click();
  await expect(page.getByRole("heading", { name: "run-c", level: 1 })).toBeVisible();
  await expect(page.getByRole("table", { name: "Parameters" })).toContainText("0.001");
  const lossChart = page.getByRole("region", { name: "loss", exact: true });
  await expect(lossChart.getByRole("heading", { name: "loss" })).toBeVisible();
  await expect(lossChart.locator("canvas")).toHaveCount(1);
  await page.getByRole("button", { name: "eval (folder)" }).click();
  await page.getByRole("button", { name: "summary.json" }).click();
  await expect(page.getByTestId("artifact-preview")).toContainText('"threshold": 0.5');
  await page.getByRole("navigation", { name: "Artifact folder" }).getByRole("button", { name: "artifacts" }).click();
  await page.getByRole("button", { name: "predictions.csv" }).click();
  await expect(page.getByRole("table", { name: "Contents of predictions.csv" })).toContainText("0.93");
  await expect(page.getByRole("table", { name: "Child runs" })).toContainText("fold-1");

  // Back to the table (the sort survives), pick two runs and compare them.
  await page.goBack();
  await expect(rows).toHaveCount(4);
  await expect(runsTable.locator("th[aria-sort=descending]")).toContainText("auc");
  await runsTable.getByRole("checkbox", { name: "Select run-a" }).check();
  await runsTable.getByRole("checkbox", { name: "Select run-c" }).check();
  await page.getByRole("button", { name: "Compare 2 runs" }).click();
  await expect(page).toHaveURL(/\/compare\?runs=/);
  await expect(page.getByRole("heading", { name: "Compare 2 runs" })).toBeVisible();
  const params = page.getByRole("table", { name: "Parameters by run" });
  await expect(params.locator("tr[data-differs]")).toHaveCount(2);
  await expect(params.locator("tr", { hasText: "optimizer" })).toContainText("differs");
  await expect(params.locator("tr", { hasText: "epochs" })).not.toContainText("differs");
  const overlaid = page.getByRole("region", { name: "loss", exact: true });
  await expect(overlaid.getByRole("img", { name: /one line per run/ }).locator("canvas")).toHaveCount(1);
  await expect(page.getByRole("img", { name: /Parallel coordinates/ }).locator("canvas")).toHaveCount(1);

  // Deleting hides the experiment; "Show deleted" finds it again, and Restore brings it back.
  await page.goto(`/o/${org}/experiments`);
  page.once("dialog", (dialog) => void dialog.accept());
  await page.getByRole("button", { name: `Delete ${experimentName}` }).click();
  await expect(page.getByText("No experiments yet")).toBeVisible();
  await page.getByLabel("Show deleted").check();
  await page.getByRole("button", { name: `Restore ${experimentName}` }).click();
  await expect(page.getByRole("button", { name: `Delete ${experimentName}` })).toBeVisible();
});
