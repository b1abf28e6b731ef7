import { studentQuantile, twoSidedStudentP } from "./distributions";
import { chanceToBeatControl, relativeLift, symmetricInterval, type ArmMoments, type Effect } from "./effects";
import { fail, requireFinite, requireNonNegative, requireOpenUnit, requirePositiveCount } from "./guards";

/** One arm of a continuous metric: units, sample mean and sample variance (n − 1 denominator). */
export type MeanSummary = ArmMoments;

export type WelchTTestInput = {
  control: MeanSummary;
  treatment: MeanSummary;
  /** Two-sided significance level; the intervals are (1 − alpha). Default 0.05. */
  alpha?: number;
};

export type WelchTTestResult = {
  t: number;
  /** Welch–Satterthwaite degrees of freedom. */
  df: number;
  /** Two-sided, Student t with `df` degrees of freedom. */
  pValue: number;
  /** μ_T − μ_C with the Welch interval (t quantile at `df`). */
  absolute: Effect;
  /** μ_T/μ_C − 1, delta method, same t quantile (as GrowthBook); null when the control mean is 0. */
  relative: Effect | null;
  /** Φ(effect / SE): normal approximation of P(μ_T > μ_C) under a flat prior. */
  chanceToBeatControl: number;
};

/**
 * {n, mean, variance} from the aggregates a SQL GROUP BY returns: COUNT(x), SUM(x), SUM(x*x).
 * variance = (Σx² − (Σx)²/n)/(n − 1); cancellation can leave a tiny negative, clamped to 0.
 */
export function meanSummaryFromSums(input: { n: number; sum: number; sumSquares: number }): MeanSummary {
  const n = requirePositiveCount(input.n, "n");
  if (n < 2) fail("n", "needs at least 2 units to estimate a variance");
  const sum = requireFinite(input.sum, "sum");
  const sumSquares = requireNonNegative(input.sumSquares, "sumSquares");
  const mean = sum / n;
  return { n, mean, variance: Math.max(0, (sumSquares - sum * mean) / (n - 1)) };
}

function checkArm(arm: MeanSummary, name: string): void {
  requirePositiveCount(arm.n, `${name}.n`);
  if (arm.n < 2) fail(`${name}.n`, "needs at least 2 units (the variance has n − 1 degrees of freedom)");
  requireFinite(arm.mean, `${name}.mean`);
  requireNonNegative(arm.variance, `${name}.variance`);
}

/**
 * Welch's unequal-variance t-test (spec §5):
 *   a = s_T²/n_T, b = s_C²/n_C, t = (x̄_T − x̄_C)/√(a + b),
 *   ν = (a + b)² / (a²/(n_T − 1) + b²/(n_C − 1)),  p = 2·F_t(−|t|; ν)
 *   CI: (x̄_T − x̄_C) ± t_{1−α/2, ν}·√(a + b)
 * Matches scipy.stats.ttest_ind_from_stats(equal_var=False). Zero variance in one arm is fine;
 * in both arms t and ν are 0/0, which is an INVALID_INPUT (a constant metric is a pipeline bug).
 */
export function welchTTest(input: WelchTTestInput): WelchTTestResult {
  const { control, treatment } = input;
  const alpha = requireOpenUnit(input.alpha ?? 0.05, "alpha");
  checkArm(control, "control");
  checkArm(treatment, "treatment");

  const a = treatment.variance / treatment.n;
  const b = control.variance / control.n;
  if (a + b === 0) fail("control.variance", "both arms have zero variance: the t statistic is undefined");

  const diff = treatment.mean - control.mean;
  const se = Math.sqrt(a + b);
  const t = diff / se;
  const df = ((a + b) * (a + b)) / ((a * a) / (treatment.n - 1) + (b * b) / (control.n - 1));
  const critical = studentQuantile(1 - alpha / 2, df);

  return {
    t,
    df,
    pValue: twoSidedStudentP(t, df),
    absolute: symmetricInterval(diff, critical * se),
    relative: relativeLift(control, treatment, critical),
    chanceToBeatControl: chanceToBeatControl(diff, se),
  };
}
