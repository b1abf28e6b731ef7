import { expect, test } from "@playwright/test";

import { churnCsv, sendUntilServedBy, signUp, train } from "./serving-helpers";

test("create an endpoint, deploy from the registry, try it, see the traffic, deploy again and roll back", async ({ page }) => {
  // Two trainings on the real worker: every wait below is for a state, not a time.
  test.setTimeout(600_000);
  const { org, email } = await signUp(page);
  const upload = await page.request.post("/api/v1/datasets/churn/versions?fileName=churn.csv", { headers: { "x-gantry-org": org, "content-type": "text/csv" }, data: churnCsv(160) });
  expect(upload.status()).toBe(201);
  await train(page, org, { model: "churn-model", alias: "champion" });

  // Endpoints: none yet; create one.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: /^Endpoints/ }).click();
  await expect(page.getByRole("heading", { name: "Endpoints", level: 1 })).toBeVisible();
  await expect(page.getByText("No endpoints yet.")).toBeVisible();
  await page.getByLabel("Endpoint name").fill("Not A Slug");
  await page.getByRole("button", { name: "Create endpoint" }).click();
  await expect(page.getByRole("alert").first()).toBeVisible();
  await page.getByLabel("Endpoint name").fill("churn-api");
  await page.getByLabel("Description (optional)").fill("scores churn risk");
  await page.getByRole("button", { name: "Create endpoint" }).click();
  await expect(page).toHaveURL(new RegExp(`/o/${org}/endpoints/churn-api$`));
  await expect(page.getByRole("heading", { name: "churn-api", level: 1 })).toBeVisible();
  await expect(page.getByTestId("endpoint-serving")).toHaveText("nothing deployed");
  await expect(page.getByRole("button", { name: "Send", exact: true })).toBeDisabled();

  // Deploy v1 through its alias, with a reason.
  await page.getByLabel("Model", { exact: true }).selectOption("churn-model");
  await page.getByLabel("Version or alias").selectOption({ label: "@champion (v1)" });
  await page.getByLabel("Reason", { exact: true }).fill("first release");
  await page.getByRole("button", { name: "Deploy", exact: true }).click();
  await expect(page.getByTestId("endpoint-serving")).toContainText("churn-model v1");
  await expect(page.getByTestId("endpoint-serving")).toContainText("@champion");
  const revisions = page.getByRole("table", { name: "Revisions" });
  await expect(revisions.locator("tbody tr")).toHaveCount(1);
  await expect(revisions.locator("tbody tr").first()).toContainText("current");
  await expect(revisions.locator("tbody tr").first()).toContainText("first release");
  await expect(revisions.locator("tbody tr").first()).toContainText(email);

  // Try it: the body is pre-filled from v1's signature; the answer comes from the serving port.
  const body = page.getByLabel("Request body (JSON)");
  await expect(body).toHaveValue(/"tenure"/);
  await expect(body).toHaveValue(/"plan": "(basic|pro)"/);
  await expect(page.getByTestId("traffic-requests")).toHaveText("0");
  await sendUntilServedBy(page, 1);
  const response = page.getByLabel("Response", { exact: true });
  await expect(response).toContainText('"predictions"');
  await expect(response).toContainText('"model_name": "churn-model"');
  await expect(response).toContainText('"request_id"');
  await expect(page.getByTestId("try-it-latency")).toHaveText(/^[\d.]+ ms$/);
  const curl = page.getByLabel("curl command", { exact: true });
  await expect(curl).toContainText(`/orgs/${org}/v1/models/churn-api:predict`);
  await expect(curl).toContainText('Authorization: Bearer $GANTRY_API_KEY');
  await expect(curl).toContainText('"instances"');
  await expect(curl).not.toContainText("gky_");
  await expect(page.getByRole("button", { name: "Copy curl command" })).toBeVisible();

  // The request shows in the traffic (counted by the serving process, flushed every few seconds, polled every 5 s).
  await expect(page.getByTestId("traffic-requests")).not.toHaveText("0", { timeout: 30_000 });
  await expect(page.getByRole("img", { name: "Requests and errors per minute of churn-api" }).locator("canvas")).toHaveCount(1);
  await expect(page.getByRole("img", { name: "Latency per minute of churn-api" }).locator("canvas")).toHaveCount(1);

  // A bad row is the endpoint's 400, shown as its answer.
  await body.fill('{"instances": [{"no_such_column": 1}]}');
  await page.getByRole("button", { name: "Send", exact: true }).click();
  await expect(page.getByTestId("try-it-status")).toHaveText("400");
  await expect(page.getByLabel("Response", { exact: true })).toContainText("no_such_column");
  await page.getByRole("button", { name: "Reset example" }).click();

  // A second version, deployed by number; then roll back to revision 1.
  await train(page, org, { model: "churn-model" });
  await page.goto(`/o/${org}/endpoints/churn-api`);
  await page.getByLabel("Model", { exact: true }).selectOption("churn-model");
  await page.getByLabel("Version or alias").selectOption({ label: "v2" });
  await page.getByLabel("Reason", { exact: true }).fill("fresher data");
  await page.getByRole("button", { name: "Deploy", exact: true }).click();
  await expect(page.getByTestId("endpoint-serving")).toHaveText("churn-model v2");
  await expect(revisions.locator("tbody tr")).toHaveCount(2);
  await sendUntilServedBy(page, 2);

  page.once("dialog", (dialog) => void dialog.accept());
  await page.getByRole("button", { name: "Roll back to revision 1" }).click();
  await expect(revisions.locator("tbody tr")).toHaveCount(3);
  const newest = revisions.locator("tbody tr").first();
  await expect(newest).toContainText("r3");
  await expect(newest).toContainText("current");
  await expect(newest).toContainText("rollback to r1");
  await expect(page.getByTestId("endpoint-serving")).toContainText("churn-model v1");
  await sendUntilServedBy(page, 1);

  // Pause: the endpoint answers 503; resume.
  page.once("dialog", (dialog) => void dialog.accept());
  await page.getByRole("button", { name: "Pause", exact: true }).click();
  await expect(page.getByTestId("endpoint-status")).toHaveText("paused");
  await expect(async () => {
    await page.getByRole("button", { name: "Send", exact: true }).click();
    await expect(page.getByTestId("try-it-status")).toHaveText("503", { timeout: 3_000 });
  }).toPass({ timeout: 30_000 });
  await page.getByRole("button", { name: "Resume", exact: true }).click();
  await expect(page.getByTestId("endpoint-status")).toHaveText("active");

  // The list shows what it serves now.
  await page.goto(`/o/${org}/endpoints`);
  const list = page.getByRole("table", { name: "Endpoints" });
  await expect(list).toContainText("churn-api");
  await expect(list).toContainText("churn-model v1");
  await expect(list).toContainText("r3");
});
