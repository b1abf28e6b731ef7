import type { Page } from "@playwright/test";
import { expect, test } from "@playwright/test";

const unique = Date.now().toString(36);

/**
 * A churn-like binary CSV: numbers, an integer, a category, a date and a yes/no label that
 * depends on them (so the model has something to learn). Deterministic: a seeded LCG.
 */
function churnCsv(rows: number): string {
  let state = 20240601;
  const random = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const plans = ["basic", "pro", "enterprise"];
  const lines = ["age,income,plan,signup,tickets,churned"];
  for (let i = 0; i < rows; i++) {
    const age = 18 + Math.floor(random() * 60);
    const income = Math.round((20_000 + random() * 80_000) * 100) / 100;
    const plan = plans[Math.floor(random() * plans.length)] ?? "basic";
    const signup = new Date(Date.UTC(2022, 0, 1) + Math.floor(random() * 700) * 86_400_000).toISOString().slice(0, 10);
    const tickets = Math.floor(random() * 8);
    const score = 0.6 * tickets - income / 40_000 + (plan === "basic" ? 1 : 0) - 1 + (random() - 0.5);
    // One missing income in fifty: the profile counts it.
    lines.push(`${age},${i % 50 === 7 ? "" : income},${plan},${signup},${tickets},${score > 0 ? "yes" : "no"}`);
  }
  return `${lines.join("\n")}\n`;
}

async function signUp(page: Page, who = "katherine"): Promise<string> {
  const org = `trainers-${who}-${unique}`;
  await page.goto("/signup");
  await page.getByLabel("Name").fill("Katherine Johnson");
  await page.getByLabel("Email").fill(`${who}-${unique}@example.test`);
  await page.getByLabel("Password").fill("orbital mechanics 1962");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/onboarding/);
  await page.getByLabel("Organisation name").fill("Trainers");
  await page.getByLabel("URL slug").fill(org);
  await page.getByRole("button", { name: "Create organisation" }).click();
  await expect(page).toHaveURL(new RegExp(`/o/${org}$`));
  return org;
}

test("upload a dataset, profile it, train a model on the worker and open its run", async ({ page }) => {
  // Training runs on the real worker: generous, but every wait below is for a state, not a time.
  test.setTimeout(300_000);
  const org = await signUp(page);
  const nav = page.getByRole("navigation", { name: "Main" });

  // Upload: the columns are read in the browser first (type overrides are optional), then the file goes up.
  await nav.getByRole("link", { name: /^Datasets/ }).click();
  await expect(page.getByRole("heading", { name: "Datasets", level: 1 })).toBeVisible();
  await page.getByLabel("CSV file").setInputFiles({ name: "churn.csv", mimeType: "text/csv", buffer: Buffer.from(churnCsv(400)) });
  await expect(page.getByLabel("Dataset name")).toHaveValue("churn");
  await page.getByText("Column types (optional)").click();
  await expect(page.getByRole("table", { name: "Column types" })).toContainText("enterprise");
  await page.getByLabel("Type of tickets").selectOption("integer");
  await page.getByLabel("Description (optional)").fill("400 customers");
  await page.getByRole("button", { name: "Upload dataset" }).click();
  const uploaded = page.getByRole("status").filter({ hasText: "Uploaded" });
  await expect(uploaded).toContainText("400 rows, 6 columns");
  await expect(page.getByRole("table", { name: "Datasets" })).toContainText("churn");

  // The version page: schema, a profile chart per column, the first rows.
  await uploaded.getByRole("link", { name: "churn v1" }).click();
  await expect(page.getByRole("heading", { name: "churn v1", level: 1 })).toBeVisible();
  const schema = page.getByRole("table", { name: "Schema" });
  await expect(schema.locator("tr", { hasText: "income" })).toContainText("numeric");
  await expect(schema.locator("tr", { hasText: "income" })).toContainText("2%");
  await expect(schema.locator("tr", { hasText: "plan" })).toContainText("categorical");
  await expect(schema.locator("tr", { hasText: "signup" })).toContainText("datetime");
  await expect(schema.locator("tr", { hasText: "churned" })).toContainText("2");
  const income = page.getByRole("region", { name: "income", exact: true });
  await expect(income.getByRole("img", { name: "income: histogram" }).locator("canvas")).toHaveCount(1);
  await expect(income).toContainText("p50");
  const plan = page.getByRole("region", { name: "plan", exact: true });
  await expect(plan.getByRole("img", { name: "plan: top values" }).locator("canvas")).toHaveCount(1);
  await expect(page.getByRole("table", { name: "Preview rows" }).locator("tbody tr")).toHaveCount(20);
  await expect(page.getByRole("link", { name: "Download CSV" })).toHaveAttribute("href", /\/api\/v1\/datasets\/churn\/versions\/1\/download/);
  await expect(page.getByText("No runs yet.")).toBeVisible();

  // The training form, built from the schema; the API's validation error shows beside its field.
  await page.getByRole("link", { name: "Train a model" }).click();
  await expect(page.getByRole("heading", { name: "New training job" })).toBeVisible();
  await expect(page.getByLabel("Dataset", { exact: true })).toHaveValue("churn");
  await page.getByLabel("Target", { exact: true }).selectOption("churned");
  await expect(page.getByRole("checkbox", { name: /churned/ })).toBeDisabled();
  await expect(page.getByRole("checkbox", { name: /income/ })).toBeChecked();
  await page.getByLabel("Hidden layers", { exact: true }).fill("16, 8");
  await page.getByLabel("Epochs", { exact: true }).fill("0");
  await page.getByLabel("Experiment", { exact: true }).fill(`churn-${unique}`);
  await page.getByRole("button", { name: "Start training" }).click();
  await expect(page.getByLabel("Epochs", { exact: true })).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByRole("alert").filter({ hasText: "expected number to be >=1" })).toBeVisible();
  await page.getByLabel("Epochs", { exact: true }).fill("4");
  await page.getByLabel("Batch size", { exact: true }).fill("32");
  await page.getByRole("button", { name: "Start training" }).click();

  // The job page follows the worker: progress, then done.
  await expect(page).toHaveURL(new RegExp(`/o/${org}/jobs/[0-9a-f-]{36}$`));
  await expect(page.getByTestId("job-status")).toHaveText("succeeded", { timeout: 240_000 });
  await expect(page.getByTestId("job-progress-text")).toHaveText("epoch 4/4");
  await expect(page.getByRole("progressbar", { name: "Job progress" })).toHaveAttribute("aria-valuenow", "100");
  await expect(page.getByLabel("Test metrics", { exact: true })).toContainText("test_accuracy");
  const loss = page.getByRole("region", { name: "loss", exact: true });
  await expect(loss.getByRole("img", { name: "loss and val_loss by epoch" }).locator("canvas")).toHaveCount(1);
  await expect(page.getByRole("log", { name: "Job log" })).toContainText("Succeeded");
  await expect(page.getByRole("button", { name: "Cancel job" })).toHaveCount(0);

  // The jobs list has it, finished.
  await nav.getByRole("link", { name: /^Jobs/ }).click();
  const jobs = page.getByRole("table", { name: "Jobs" });
  await expect(jobs.locator("tbody tr")).toHaveCount(1);
  await expect(jobs).toContainText("succeeded");
  await expect(jobs).toContainText("churn@1");
  await jobs.getByRole("link", { name: "Predict churned" }).click();

  // Its run: params, per-epoch metrics and the model's artifacts.
  await page.getByRole("link", { name: /^Open run/ }).click();
  await expect(page).toHaveURL(new RegExp(`/o/${org}/runs/`));
  await expect(page.getByRole("table", { name: "Parameters" })).toContainText("churn@1");
  await expect(page.getByRole("region", { name: "val_loss", exact: true }).locator("canvas")).toHaveCount(1);
  await expect(page.getByRole("region", { name: "test_accuracy", exact: true })).toBeVisible();
  await page.getByRole("button", { name: "evaluation (folder)" }).click();
  await page.getByRole("button", { name: "confusion_matrix.json" }).click();
  await expect(page.getByTestId("artifact-preview")).toContainText('"labels"');
  await page.getByRole("navigation", { name: "Artifact folder" }).getByRole("button", { name: "artifacts" }).click();
  await page.getByRole("button", { name: "model (folder)" }).click();
  await expect(page.getByRole("button", { name: "pipeline.json" })).toBeVisible();

  // The version knows the run that used it.
  await page.goto(`/o/${org}/datasets/churn/versions/1`);
  await expect(page.getByRole("table", { name: "Runs that used this version" }).locator("tbody tr")).toHaveCount(1);
});

test("sweep a learning rate, compare the trials' runs, and schedule retraining", async ({ page }) => {
  test.setTimeout(300_000);
  const org = await signUp(page, "dorothy");
  // The upload endpoint takes the portal's session as well as API keys.
  const upload = await page.request.post("/api/v1/datasets/churn/versions?fileName=churn.csv", { headers: { "x-gantry-org": org, "content-type": "text/csv" }, data: churnCsv(300) });
  expect(upload.status()).toBe(201);

  // A grid sweep from the version page; a bad value is named beside the parameters.
  await page.goto(`/o/${org}/datasets/churn/versions/1`);
  await page.getByRole("link", { name: "Start a sweep" }).click();
  await expect(page.getByRole("heading", { name: "New sweep" })).toBeVisible();
  await page.getByLabel("Method", { exact: true }).selectOption("grid");
  await page.getByLabel("Target", { exact: true }).selectOption("churned");
  await page.getByLabel("Epochs", { exact: true }).fill("3");
  await page.getByLabel("Batch size", { exact: true }).fill("32");
  const parameters = page.getByLabel("Parameters (JSON)");
  await parameters.fill('{ "learningRate": { "values": [0.01, -1] } }');
  await page.getByRole("button", { name: "Start sweep" }).click();
  await expect(parameters).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByRole("alert").filter({ hasText: "-1 is not a valid value" })).toBeVisible();
  await parameters.fill('{ "learningRate": { "values": [0.01, 0.001] } }');
  await page.getByRole("button", { name: "Start sweep" }).click();

  // The sweep page: both trials, the best one marked, the parallel coordinates, the comparison.
  await expect(page).toHaveURL(new RegExp(`/o/${org}/jobs/[0-9a-f-]{36}$`));
  await expect(page.getByTestId("job-status")).toHaveText("succeeded", { timeout: 240_000 });
  const trials = page.getByRole("table", { name: "Trials" });
  await expect(trials.locator("tbody tr")).toHaveCount(2);
  await expect(trials.locator("tr[data-best]")).toHaveCount(1);
  await expect(trials.locator("tr[data-best]")).toContainText("best");
  await expect(page.getByRole("img", { name: /^Parallel coordinates of learningRate, test_roc_auc/ }).locator("canvas")).toHaveCount(1);
  await page.getByRole("link", { name: "Compare 2 runs" }).click();
  await expect(page.getByRole("heading", { name: "Compare 2 runs" })).toBeVisible();
  await expect(page.getByRole("table", { name: "Parameters by run" }).locator("tr", { hasText: "learning_rate" })).toContainText("differs");

  // A schedule on the latest version: a bad cron is refused beside the field.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: /^Schedules/ }).click();
  await expect(page.getByText("No schedules yet")).toBeVisible();
  await page.getByRole("link", { name: "New schedule" }).click();
  await page.getByLabel("Name", { exact: true }).fill("nightly");
  await page.getByLabel("Cron", { exact: true }).fill("every night");
  await page.getByLabel("Time zone", { exact: true }).fill("Europe/Paris");
  await page.getByLabel("Dataset", { exact: true }).selectOption("churn");
  await expect(page.getByLabel("Version", { exact: true })).toHaveValue("latest");
  await page.getByLabel("Target", { exact: true }).selectOption("churned");
  await page.getByLabel("Epochs", { exact: true }).fill("2");
  await page.getByRole("button", { name: "Create schedule" }).click();
  await expect(page.getByLabel("Cron", { exact: true })).toHaveAttribute("aria-invalid", "true");
  await page.getByRole("button", { name: "daily at 03:00" }).click();
  await page.getByRole("button", { name: "Create schedule" }).click();

  const schedules = page.getByRole("table", { name: "Schedules" });
  await expect(schedules).toContainText("every day at 03:00, Europe/Paris");
  await expect(schedules).toContainText("churn@latest");
  await page.getByRole("button", { name: "Pause nightly" }).click();
  await expect(schedules).toContainText("paused");
  await page.getByRole("button", { name: "Resume nightly" }).click();
  await expect(page.getByRole("button", { name: "Pause nightly" })).toBeVisible();
  await page.getByRole("button", { name: "Run nightly now" }).click();
  await page.getByRole("status").getByRole("link", { name: /^job / }).click();
  await expect(page.getByTestId("job-status")).toHaveText("succeeded", { timeout: 240_000 });
  await expect(page.getByRole("link", { name: /^Open run/ })).toBeVisible();

  await page.goto(`/o/${org}/schedules`);
  page.once("dialog", (dialog) => void dialog.accept());
  await page.getByRole("button", { name: "Delete nightly" }).click();
  await expect(page.getByText("No schedules yet")).toBeVisible();
});
