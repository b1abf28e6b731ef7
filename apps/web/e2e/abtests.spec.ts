import { expect, test } from "@playwright/test";

import { gantry } from "./cli";
import { sendUntilServedBy, signUp, train, uploadChurn } from "./serving-helpers";

test("start a split A/B test from the portal, simulate traffic, read the verdict and promote the winner", async ({ page, baseURL }) => {
  // Two trainings on the real worker and a simulated audience: every wait below is for a state, not a time.
  test.setTimeout(900_000);
  const { org, email } = await signUp(page, "abtests");
  await uploadChurn(page, org);
  await train(page, org, { model: "churn-model", alias: "champion" });
  await train(page, org, { model: "churn-model" });

  // An endpoint serving v1 (through @champion).
  await page.goto(`/o/${org}/endpoints`);
  await page.getByLabel("Endpoint name").fill("churn-api");
  await page.getByRole("button", { name: "Create endpoint" }).click();
  await expect(page).toHaveURL(new RegExp(`/o/${org}/endpoints/churn-api$`));
  const card = page.locator("section").filter({ has: page.getByRole("heading", { name: "A/B test", exact: true }) });
  await expect(card.getByText("Deploy a model version first")).toBeVisible();
  await page.getByLabel("Model", { exact: true }).selectOption("churn-model");
  await page.getByLabel("Version or alias").selectOption({ label: "@champion (v1)" });
  await page.getByRole("button", { name: "Deploy", exact: true }).click();
  await expect(page.getByTestId("endpoint-serving")).toContainText("churn-model v1");

  // The start page: the control is what the endpoint serves; v2 is the treatment.
  await card.getByRole("link", { name: "Start an A/B test" }).click();
  await expect(page).toHaveURL(new RegExp(`/o/${org}/endpoints/churn-api/abtests/new$`));
  await expect(page.getByRole("heading", { name: "Start an A/B test", level: 1 })).toBeVisible();
  await expect(page.getByLabel("Model of control")).toHaveValue("churn-model");
  await expect(page.getByLabel("Version or alias of control")).toHaveValue("version:1");
  await page.getByLabel("Version or alias of treatment").selectOption({ label: "v2" });
  await expect(page.getByRole("radio", { name: /^Split/ })).toBeChecked();
  await expect(page.getByTestId("weights-sum")).toHaveText(/sum to 100%/);

  // Weights that do not sum to 100 are refused before anything is sent.
  const control = page.getByLabel("Weight of control (%)");
  const treatment = page.getByLabel("Weight of treatment (%)");
  await control.fill("70");
  await expect(page.getByTestId("weights-sum")).toHaveText(/sum to 120%/);
  await page.getByLabel("Test name").fill("v2-vs-v1");
  await page.getByRole("button", { name: "Start A/B test" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "must sum to 100% (now 120%)" })).toBeVisible();
  await control.fill("50");
  await treatment.fill("50");
  await expect(page.getByTestId("weights-sum")).toHaveText(/sum to 100%/);

  // The plan: the sample per variant is computed as you type.
  await page.getByLabel("Baseline rate").fill("0.1");
  await page.getByLabel("Minimum detectable effect").fill("0.5");
  await expect(page.getByTestId("planned-sample")).toContainText("686 units per variant");
  await page.getByLabel("Hypothesis (optional)").fill("v2 keeps more customers");

  // A server-side error shows next to the field it names.
  await page.getByLabel("Test name").fill("Not A Slug");
  await page.getByRole("button", { name: "Start A/B test" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "test name must be 1-64 lowercase letters" })).toBeVisible();
  await expect(page.getByLabel("Test name")).toHaveAttribute("aria-invalid", "true");
  await page.getByLabel("Test name").fill("v2-vs-v1");
  await page.getByRole("button", { name: "Start A/B test" }).click();

  // The test page: running, nothing measured yet.
  await expect(page).toHaveURL(new RegExp(`/o/${org}/abtests/[0-9a-f-]{36}$`));
  const testUrl = page.url();
  await expect(page.getByRole("heading", { name: "v2-vs-v1", level: 1 })).toBeVisible();
  await expect(page.getByTestId("abtest-status")).toHaveText("running");
  await expect(page.getByText("v2 keeps more customers")).toBeVisible();
  await expect(page.getByTestId("abtest-verdict")).toContainText("keep collecting");
  await expect(page.getByTestId("units-control")).toHaveText("0");

  // The endpoint's card links to the running test; the list has it.
  await page.goto(`/o/${org}/endpoints/churn-api`);
  await expect(page.getByTestId("endpoint-abtest")).toContainText("v2-vs-v1");
  await expect(page.getByTestId("endpoint-abtest")).toContainText("split");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: /^A\/B tests/ }).click();
  const list = page.getByRole("table", { name: "A/B tests" });
  await expect(list).toContainText("v2-vs-v1");
  await expect(list).toContainText("churn-api");
  await expect(list).toContainText("running");

  // An API key for the simulator (read the endpoint, predict, send feedback), which sends predictions with unit ids through the serving port and rewards as feedback.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "API keys" }).click();
  await page.getByLabel("Name").fill("simulator");
  await page.getByRole("checkbox", { name: /predict/ }).check();
  await page.getByRole("checkbox", { name: /write/ }).check();
  await page.getByRole("button", { name: "Create key" }).click();
  const key = await page.getByTestId("api-key-secret").inputValue();
  expect(key).toMatch(/^gky_/);
  const simulated = JSON.parse(
    await gantry(["--json", "simulate", "churn-api", "--users", "1500", "--baseline", "0.1", "--lift", "treatment=0.3", "--seed", "1"], { GANTRY_URL: baseURL ?? "", GANTRY_API_KEY: key }),
  ) as { users: number; failed: number; byVariant: Record<string, { users: number; conversions: number }> };
  expect(simulated.failed).toBe(0);
  expect(simulated.byVariant.control?.users).toBeGreaterThan(0);
  expect(simulated.byVariant.treatment?.users).toBeGreaterThan(0);

  // The results: units in both arms, a verdict, the SRM check and the lift over time.
  await page.goto(testUrl);
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("units-control")).not.toHaveText("0", { timeout: 2_000 });
    await expect(page.getByTestId("units-treatment")).not.toHaveText("0", { timeout: 2_000 });
  }).toPass({ timeout: 60_000 });
  await expect(page.getByTestId("abtest-verdict")).not.toBeEmpty();
  await expect(page.getByTestId("abtest-verdict")).not.toHaveText(/^keep collecting: 0%/);
  await expect(page.getByRole("table", { name: "Results per variant" })).toContainText("churn-model v2");
  await expect(page.getByTestId("srm-status")).toContainText(/Sample ratio (healthy|mismatch)/);
  await expect(page.getByRole("progressbar", { name: "Share of the planned sample" })).not.toHaveAttribute("aria-valuenow", "0");
  await expect(page.getByRole("img", { name: "Cumulative lift of v2-vs-v1" }).locator("canvas")).toHaveCount(1);

  // Promote v2: the test ends, v2 serves all traffic and @champion moves to it.
  await page.getByLabel("Variant to promote").selectOption("treatment");
  await page.getByLabel("Reason (optional)").fill("v2 wins");
  page.once("dialog", (dialog) => void dialog.accept());
  await page.getByRole("button", { name: "Promote", exact: true }).click();
  await expect(page.getByTestId("abtest-status")).toHaveText("promoted");
  await expect(page.getByTestId("abtest-decision")).toContainText("treatment: v2 wins");
  await expect(page.getByTestId("abtest-decision")).toContainText(`decided by ${email}`);
  await expect(page.getByRole("button", { name: "Promote", exact: true })).toHaveCount(0);

  await page.getByRole("link", { name: "churn-api" }).first().click();
  await expect(page).toHaveURL(new RegExp(`/o/${org}/endpoints/churn-api$`));
  await expect(page.getByTestId("endpoint-serving")).toContainText("churn-model v2");
  await expect(page.getByRole("link", { name: "Start an A/B test" })).toBeVisible();
  await sendUntilServedBy(page, 2);

  // Alerts: none for a split.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: /^Alerts/ }).click();
  await expect(page.getByRole("heading", { name: "Alerts", level: 1 })).toBeVisible();
  await expect(page.getByText("No alerts.")).toBeVisible();
});
