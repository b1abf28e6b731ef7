export { createRetrainPolicy, getRetrainPolicy, listRetrainPolicies, startRetrainRun, onAlertFired } from "./policies";
export { advanceRetrainRuns, type ScoreBoth } from "./advance";
