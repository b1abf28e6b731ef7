import { expect, test } from "@playwright/test";

import { churnCsv as seededChurnCsv, signUp, train } from "./serving-helpers";

/** The registry spec's own draw of the churn CSV. */
const churnCsv = (rows: number) => seededChurnCsv(rows, 19690720);

test("train with register, move the champion alias, see the lineage, edit the model card, compare, register from a run", async ({ page }) => {
  // Two trainings on the real worker: every wait below is for a state, not a time.
  test.setTimeout(600_000);
  const { org, email } = await signUp(page, "registry");
  const upload = await page.request.post("/api/v1/datasets/churn/versions?fileName=churn.csv", { headers: { "x-gantry-org": org, "content-type": "text/csv" }, data: churnCsv(160) });
  expect(upload.status()).toBe(201);

  await train(page, org, { model: "e2e-model", alias: "champion" });

  // Models → the model: version 1 carries the champion badge.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: /^Models/ }).click();
  await expect(page.getByRole("heading", { name: "Models", level: 1 })).toBeVisible();
  const models = page.getByRole("table", { name: "Models" });
  await expect(models).toContainText("@champion → v1");
  await models.getByRole("link", { name: "e2e-model", exact: true }).click();
  await expect(page.getByRole("heading", { name: "e2e-model", level: 1 })).toBeVisible();
  const versions = page.getByRole("table", { name: "Versions" });
  await expect(versions.locator("tbody tr")).toHaveCount(1);
  await expect(versions.locator("tbody tr").first()).toContainText("v1");
  await expect(versions.locator("tbody tr").first()).toContainText("@champion");
  await expect(versions).toContainText("test_accuracy");

  // A second version, then the alias moves to it with a reason.
  await train(page, org, { model: "e2e-model" });
  await page.goto(`/o/${org}/models/e2e-model`);
  await expect(versions.locator("tbody tr")).toHaveCount(2);
  await page.getByLabel("Alias", { exact: true }).fill("champion");
  await page.getByLabel("Version", { exact: true }).selectOption("2");
  await page.getByLabel("Reason", { exact: true }).fill("v2 is fresher");
  await page.getByRole("button", { name: "Move alias", exact: true }).click();
  await expect(versions.locator("tbody tr", { hasText: "v2" })).toContainText("@champion");
  const history = page.getByRole("table", { name: "Alias history" });
  await expect(history.locator("tbody tr")).toHaveCount(2);
  // Newest first: who, when, from → to, why.
  const moved = history.locator("tbody tr").nth(0).locator("td");
  await expect(moved.nth(2)).toHaveText("v1");
  await expect(moved.nth(3)).toHaveText("v2");
  await expect(moved.nth(4)).toHaveText(email);
  await expect(moved.nth(5)).toHaveText("v2 is fresher");
  const first = history.locator("tbody tr").nth(1).locator("td");
  await expect(first.nth(2)).toHaveText("—");
  await expect(first.nth(3)).toHaveText("v1");
  await expect(first.nth(5)).toHaveText(/^training job /);

  // Compare the two versions.
  await page.getByLabel("Compare v1").check();
  await page.getByLabel("Compare v2").check();
  await page.getByRole("link", { name: "Compare 2 versions" }).click();
  await expect(page.getByRole("heading", { name: "Compare e2e-model versions" })).toBeVisible();
  await expect(page.getByRole("table", { name: "Metrics side by side" })).toContainText("test_accuracy");
  await expect(page.getByRole("table", { name: "Signature diff" })).toContainText("same inputs");

  // The version page: facts, lineage graph (dataset version → run → version, and v1 trained on the same data).
  await page.goto(`/o/${org}/models/e2e-model/versions/2`);
  await expect(page.getByRole("heading", { name: "e2e-model v2", level: 1 })).toBeVisible();
  await expect(page.getByLabel("Version facts")).toContainText("churn@1");
  await expect(page.getByRole("img", { name: "Lineage of e2e-model v2" }).locator("canvas")).toHaveCount(1);
  const lineage = page.getByRole("list", { name: "Lineage nodes" });
  await expect(lineage).toContainText("churn@1");
  await expect(lineage.getByRole("link", { name: "e2e-model v1" })).toBeVisible();
  await expect(lineage).toContainText("Job:");
  await expect(page.getByRole("table", { name: "Signature" })).toContainText("tenure");

  // The model card: markdown with a live preview; raw HTML is not rendered.
  await page.getByRole("button", { name: "Edit model card" }).click();
  await page.getByLabel("Markdown").fill("# Churn model\n\nTrained on **160 customers**.\n\n<b>raw</b>");
  const preview = page.getByRole("region", { name: "Model card preview" });
  await expect(preview.getByRole("heading", { name: "Churn model" })).toBeVisible();
  await expect(preview.locator("strong")).toHaveText("160 customers");
  await expect(preview.locator("b")).toHaveCount(0);
  await page.getByRole("button", { name: "Save model card" }).click();
  await expect(page.getByTestId("model-card").getByRole("heading", { name: "Churn model" })).toBeVisible();

  // Register from the source run's page, with an alias.
  await page.getByLabel("Version facts").getByRole("link").first().click();
  await expect(page).toHaveURL(new RegExp(`/o/${org}/runs/`));
  await page.getByRole("button", { name: "Register model" }).click();
  await page.getByLabel("Model name").fill("e2e-other");
  await page.getByLabel("Alias (optional)").fill("staging");
  await page.getByRole("button", { name: "Register", exact: true }).click();
  const registered = page.getByRole("status").filter({ hasText: "Registered as" });
  await expect(registered).toContainText("e2e-other v1");
  await expect(registered).toContainText("@staging");
  await registered.getByRole("link", { name: "e2e-other v1" }).click();
  await expect(page.getByRole("heading", { name: "e2e-other v1", level: 1 })).toBeVisible();
});
