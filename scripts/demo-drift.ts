/**
 * `pnpm demo:drift`: the monitoring loop on the demo, live. With `pnpm start` running (the demo
 * seed made the `fraud` endpoint, its drift monitor and the `fraud-retrain` policy), it
 *   1. drives `fraud` with ordinary transactions for a minute (the monitor sees nothing),
 *   2. uploads fresh labelled data in which the world has changed (a new version of `card-fraud`),
 *   3. drives `fraud` with the changed transactions and sends their labels as feedback,
 * and prints the loop as it happens: the drift alert, the retraining job, the gate, the canary
 * steps, the promotion. Settings: GANTRY_URL (default http://localhost:3000), GANTRY_API_KEY
 * (default: the demo key in GANTRY_DATA_DIR/demo-api-key), DEMO_TIMEOUT_MINUTES (20).
 * `DEMO_CONTROL_MINUTES=N` runs the control instead: only ordinary traffic for N minutes, and it
 * fails if any alert fires or any retraining starts.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";

import { cardFraudCsv, cardFraudRecords } from "@gantry/api/seed/synthetic";
import { createGantryClient } from "@gantry/client";

const url = process.env.GANTRY_URL ?? "http://localhost:3000";
const dataDir = process.env.GANTRY_DATA_DIR ?? ".gantry";
const apiKey = process.env.GANTRY_API_KEY ?? (await readFile(path.join(dataDir, "demo-api-key"), "utf8").catch(() => "")).trim();
if (!apiKey) throw new Error(`No API key: set GANTRY_API_KEY or run pnpm start first (it writes ${path.join(dataDir, "demo-api-key")})`);
const timeoutMs = Number(process.env.DEMO_TIMEOUT_MINUTES ?? 20) * 60_000;
const client = createGantryClient({ url, apiKey });
const endpoint = "fraud";
const log = (m: string) => console.log(`${new Date().toISOString().slice(11, 19)}  ${m}`);

const policy = (await client.api.retrain.list.query()).find((p) => p.name === "fraud-retrain");
if (!policy) throw new Error("No retraining policy 'fraud-retrain': is this the demo org (pnpm start seeds it)?");
const served = await client.endpoints.get(endpoint);
if (served.version === null) throw new Error("The fraud endpoint serves nothing yet: wait for the first training job to finish (see Jobs in the portal)");
log(`fraud serves card-fraud v${served.version}; policy fraud-retrain: gate ${policy.gate.metric} ≥ champion + ${policy.gate.margin}, canary ${policy.rollout.steps.join(" → ")}%`);
const runsBefore = new Set(policy.runs.map((r) => r.id));

const inputs = ["amount", "hour", "merchant_category", "country", "card_present", "distance_from_home_km", "tx_last_24h", "avg_amount_30d", "account_age_days", "device"];
/** Sends the transactions as predictions (10 rows a request, one unit per transaction) and their labels as feedback. */
async function drive(records: Record<string, string | number | boolean | null>[]) {
  const feedback: { requestId: string; row: number; label: string }[] = [];
  for (let i = 0; i < records.length; i += 10) {
    const batch = records.slice(i, i + 10);
    const answer = await client.predict(endpoint, batch.map((r) => Object.fromEntries(inputs.map((n) => [n, r[n] ?? null]))));
    batch.forEach((r, row) => feedback.push({ requestId: answer.requestId, row, label: String(r.is_fraud) }));
  }
  await client.feedback(endpoint, feedback);
}

const controlMinutes = Number(process.env.DEMO_CONTROL_MINUTES ?? 0);
if (controlMinutes > 0) {
  log(`control: ordinary traffic only, for ${controlMinutes} min; no alert may fire, no retraining may start`);
  let s = 300;
  for (const started = Date.now(); Date.now() - started < controlMinutes * 60_000; ) await drive(cardFraudRecords({ rows: 300, seed: s++ }));
  const alerts = await client.api.alert.list.query({});
  const runs = (await client.api.retrain.get.query({ id: policy.id })).runs.filter((r) => !runsBefore.has(r.id));
  const monitor = (await client.api.monitor.list.query({ endpoint })).find((m) => m.name === "fraud-inputs");
  log(`evaluations: ${(monitor?.recent ?? []).map((r) => r.status).join(", ") || "none"}`);
  log(`alerts: ${alerts.length}; retraining runs: ${runs.length}`);
  process.exit(alerts.length === 0 && runs.length === 0 && (monitor?.recent ?? []).some((r) => r.status === "ok") ? 0 : 1);
}

log("1. ordinary traffic for a minute (the drift monitor runs every minute over the last 10)");
let calmSeed = 100;
for (const started = Date.now(); Date.now() - started < 60_000; ) await drive(cardFraudRecords({ rows: 300, seed: calmSeed++ }));

log("2. fresh labelled data arrives, from a changed world: card-fraud gets a new version");
const upload = await client.datasets.upload(cardFraudCsv({ rows: 20_000, seed: 103, drift: true }), { name: "card-fraud", fileName: "card-fraud-2026-05.csv", description: "Transactions after the change (demo: drifted)" });
log(`   card-fraud v${upload.version.version}: ${upload.version.rowCount} rows`);

log("3. the changed traffic, with labels as feedback; following the loop…");
const seen = new Set<string>();
const deadline = Date.now() + timeoutMs;
let seed = 200;
for (;;) {
  await drive(cardFraudRecords({ rows: 500, seed: seed++, drift: true }));
  const alerts = await client.api.alert.list.query({ status: "firing" });
  for (const a of alerts) if (!seen.has(a.id)) (seen.add(a.id), log(`   ALERT ${a.severity}: ${a.title}`));
  const current = (await client.api.retrain.get.query({ id: policy.id })).runs.find((r) => !runsBefore.has(r.id));
  for (const e of current?.timeline ?? []) {
    const key = `${current?.id}:${e.at}:${e.step}`;
    if (!seen.has(key)) (seen.add(key), log(`   ${e.step.padEnd(11)} ${e.message}`));
  }
  if (current && ["promoted", "rejected", "rolled_back", "failed"].includes(current.status)) {
    const now = await client.endpoints.get(endpoint);
    log(`done: run ${current.status}; fraud serves card-fraud v${now.version} (revision ${now.revision})`);
    process.exit(current.status === "promoted" ? 0 : 1);
  }
  if (Date.now() > deadline) {
    log(`timed out after ${timeoutMs / 60_000} min${current ? ` (run ${current.status})` : " (no retraining run started)"}`);
    process.exit(1);
  }
}
