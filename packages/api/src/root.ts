import { abTestRouter } from "./routers/abtest";
import { alertRouter } from "./routers/alert";
import { monitorRouter } from "./routers/monitor";
import { retrainRouter } from "./routers/retrain";
import { webhookRouter } from "./routers/webhook";
import { apiKeyRouter } from "./routers/api-key";
import { auditRouter } from "./routers/audit";
import { authRouter } from "./routers/auth";
import { datasetRouter } from "./routers/dataset";
import { endpointRouter } from "./routers/endpoint";
import { experimentRouter } from "./routers/experiment";
import { invitationRouter } from "./routers/invitation";
import { jobRouter } from "./routers/job";
import { memberRouter } from "./routers/member";
import { modelRouter } from "./routers/model";
import { orgRouter } from "./routers/org";
import { runRouter } from "./routers/run";
import { scheduleRouter } from "./routers/schedule";
import { router } from "./trpc";

export const appRouter = router({
  auth: authRouter,
  org: orgRouter,
  member: memberRouter,
  invitation: invitationRouter,
  apiKey: apiKeyRouter,
  audit: auditRouter,
  experiment: experimentRouter,
  run: runRouter,
  dataset: datasetRouter,
  job: jobRouter,
  schedule: scheduleRouter,
  model: modelRouter,
  endpoint: endpointRouter,
  abtest: abTestRouter,
  alert: alertRouter,
  monitor: monitorRouter,
  webhook: webhookRouter,
  retrain: retrainRouter,
});

export type AppRouter = typeof appRouter;
