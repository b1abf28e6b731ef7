import { versionHref } from "../datasets/format";

/** The portal's URLs of retraining, and of what a run's timeline points at. */
export const retrainingHref = (org: string) => `/o/${org}/retraining`;
export const policyHref = (org: string, id: string) => `${retrainingHref(org)}/${id}`;
export const newPolicyHref = (org: string) => `${retrainingHref(org)}/new`;

/** A timeline event's link (`alert`, `job`, `run`, `version`, `abtest`, `dataset` as `name/version`) as the page it opens, with its label; null for one the portal has no page for. */
export function timelineLink(org: string, model: string, key: string, value: string | number): { href: string; label: string } | null {
  switch (key) {
    case "alert":
      return { href: `/o/${org}/alerts`, label: "alert" };
    case "job":
      return { href: `/o/${org}/jobs/${value}`, label: "training job" };
    case "run":
      return value === "" ? null : { href: `/o/${org}/runs/${value}`, label: "run" };
    case "version":
      return { href: `/o/${org}/models/${encodeURIComponent(model)}`, label: `${model} v${value}` };
    case "abtest":
      return { href: `/o/${org}/abtests/${value}`, label: "canary A/B test" };
    case "dataset": {
      const [name, version] = String(value).split("/");
      return name && version && /^\d+$/.test(version) ? { href: versionHref(org, name, Number(version)), label: `${name} v${version}` } : null;
    }
    default:
      return null;
  }
}
