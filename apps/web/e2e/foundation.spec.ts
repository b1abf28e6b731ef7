import { expect, test } from "@playwright/test";

import { gantry } from "./cli";

const unique = Date.now().toString(36);

test("sign up → create org → create API key → gantry whoami with it", async ({ page, baseURL }) => {
  const email = `ada-${unique}@example.test`;
  await page.goto("/");
  await expect(page).toHaveURL(/\/signin/);
  await page.getByRole("link", { name: "Create an account" }).click();

  // Bad input gets an inline message, tied to the field.
  await page.getByLabel("Name").fill("Ada Lovelace");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Password must have at least 10 characters" })).toBeVisible();
  await expect(page.getByLabel("Password")).toHaveAttribute("aria-invalid", "true");

  await page.getByLabel("Password").fill("analytical engine 1843");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/onboarding/);

  // A malformed slug is refused inline; a good one creates the org.
  await page.getByLabel("Organisation name").fill("Analytical Engines");
  await expect(page.getByLabel("URL slug")).toHaveValue("analytical-engines");
  await page.getByLabel("URL slug").fill("Bad Slug");
  await page.getByRole("button", { name: "Create organisation" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Slug must be" })).toBeVisible();
  await page.getByLabel("URL slug").fill(`engines-${unique}`);
  await page.getByRole("button", { name: "Create organisation" }).click();
  await expect(page).toHaveURL(new RegExp(`/o/engines-${unique}$`));
  await expect(page.getByRole("heading", { name: "Analytical Engines" })).toBeVisible();

  // The navigation shell lists the areas to come.
  const nav = page.getByRole("navigation", { name: "Main" });
  for (const area of ["Experiments", "Datasets", "Jobs", "Models", "Endpoints", "A/B tests", "Monitoring", "Settings"]) {
    await expect(nav.getByRole("link", { name: new RegExp(`^${area}`) })).toBeVisible();
  }

  await nav.getByRole("link", { name: "API keys" }).click();
  await page.getByLabel("Name").fill("laptop");
  await page.getByRole("checkbox", { name: /write/ }).check();
  await page.getByRole("button", { name: "Create key" }).click();
  const secret = await page.getByTestId("api-key-secret").inputValue();
  expect(secret).toMatch(/^gky_[0-9a-f]{12}_/);
  await expect(page.getByRole("table", { name: "API keys" })).toContainText("laptop");
  await expect(page.getByRole("table", { name: "API keys" })).not.toContainText(secret);

  const me = JSON.parse(await gantry(["--json", "whoami"], { GANTRY_URL: baseURL ?? "", GANTRY_API_KEY: secret })) as {
    org: { slug: string };
    scopes: string[];
    user: { email: string };
  };
  expect(me.org.slug).toBe(`engines-${unique}`);
  expect(me.scopes).toEqual(["read", "write"]);
  expect(me.user.email).toBe(email);

  // The audit log shows what happened.
  await nav.getByRole("link", { name: "Audit log" }).click();
  await expect(page.getByRole("table", { name: "Audit log" })).toContainText("api_key.create");
  await expect(page.getByRole("table", { name: "Audit log" })).toContainText("org.create");
});

test("invite by link: a second user accepts and appears among the members", async ({ page, browser }) => {
  const owner = `owner-${unique}@example.test`;
  await page.goto("/signup");
  await page.getByLabel("Name").fill("Owner");
  await page.getByLabel("Email").fill(owner);
  await page.getByLabel("Password").fill("owner password 123");
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByLabel("Organisation name").fill(`Team ${unique}`);
  await page.getByRole("button", { name: "Create organisation" }).click();
  await expect(page).toHaveURL(/\/o\/team-/);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Members" }).click();
  await page.getByLabel("Role", { exact: true }).selectOption("viewer");
  await page.getByRole("button", { name: "Create link" }).click();
  const link = await page.getByTestId("invitation-link").inputValue();
  expect(link).toContain("/invite/inv_");

  const guest = await browser.newContext();
  const guestPage = await guest.newPage();
  await guestPage.goto(link);
  await expect(guestPage.getByText("as viewer")).toBeVisible();
  await guestPage.getByRole("link", { name: "Create an account" }).click();
  await guestPage.getByLabel("Name").fill("Guest");
  await guestPage.getByLabel("Email").fill(`guest-${unique}@example.test`);
  await guestPage.getByLabel("Password").fill("guest password 123");
  await guestPage.getByRole("button", { name: "Create account" }).click();
  await expect(guestPage).toHaveURL(/\/invite\/inv_/);
  await guestPage.getByRole("button", { name: "Accept invitation" }).click();
  await expect(guestPage).toHaveURL(/\/o\/team-/);

  // The link is one-time.
  await guestPage.goto(link);
  await expect(guestPage.getByRole("alert").filter({ hasText: "already been used" })).toBeVisible();
  await guest.close();

  await page.reload();
  await expect(page.getByRole("table", { name: "Members" })).toContainText(`guest-${unique}@example.test`);
});
