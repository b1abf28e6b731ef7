export { startAbTest } from "./start";
export { getAbTest, listAbTests } from "./read";
export { promoteAbTest, stopAbTest, rollbackAbTest } from "./decide";
export { banditCounts } from "./bandit-counts";
export { abTestResults } from "./results";
export { advanceCanaries, type CanaryOutcome } from "./canary";
