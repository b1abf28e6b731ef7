/** The product's areas, in navigation order. `ready: false` areas arrive with later issues. */
export const areas = [
  { slug: "experiments", label: "Experiments", ready: true, blurb: "Runs with their params, metrics and artifacts, logged from the client, the worker or any MLflow client; searchable and charted." },
  { slug: "datasets", label: "Datasets", ready: true, blurb: "Versioned CSV datasets with inferred schemas and column profiles; train a model from any version." },
  { slug: "jobs", label: "Jobs", ready: true, blurb: "Training jobs and hyperparameter sweeps on the worker, with live progress, learning curves and logs." },
  { slug: "schedules", label: "Schedules", ready: true, blurb: "Retraining on a cron: a training spec submitted at each firing, on the dataset's latest version." },
  { slug: "models", label: "Models", ready: true, blurb: "The model registry: versions, aliases, lineage and model cards." },
  { slug: "endpoints", label: "Endpoints", ready: true, blurb: "Per-org model endpoints speaking TensorFlow Serving and the Open Inference Protocol, with revisions, rollback and live traffic." },
  { slug: "abtests", label: "A/B tests", ready: true, blurb: "Splits, canaries, shadow traffic and bandits between model versions, with sound statistics." },
  { slug: "alerts", label: "Alerts", ready: true, blurb: "What needs a person: canary rollbacks (and later monitors' findings), to acknowledge." },
  { slug: "monitoring", label: "Monitoring", ready: true, blurb: "Latency, errors, data drift and performance, with alerts and automated retraining." },
  { slug: "retraining", label: "Retraining", ready: true, blurb: "Policies that retrain a model when its monitors fire, gate the challenger and roll it out in a canary, with the timeline of each run." },
] as const;

export const settingsLinks = [
  { slug: "settings", label: "Settings" },
  { slug: "members", label: "Members" },
  { slug: "api-keys", label: "API keys" },
  { slug: "audit", label: "Audit log" },
  { slug: "settings/webhooks", label: "Webhooks" },
] as const;
