/*
 * The parsed form of MLflow's run search grammar (spec §3), shared by the parser, the SQL
 * compiler and the in-memory evaluator.
 */

export const numericOperators = ["=", "!=", ">", ">=", "<", "<="] as const;
export type NumericOperator = (typeof numericOperators)[number];

export const stringOperators = ["=", "!=", "LIKE", "ILIKE"] as const;
export type StringOperator = (typeof stringOperators)[number];

export const listOperators = ["IN", "NOT IN"] as const;
export type ListOperator = (typeof listOperators)[number];

export type Operator = NumericOperator | StringOperator | ListOperator;

export const stringAttributes = ["run_id", "run_name", "status", "user_id", "artifact_uri"] as const;
export type StringAttribute = (typeof stringAttributes)[number];

export const timeAttributes = ["start_time", "end_time"] as const;
export type TimeAttribute = (typeof timeAttributes)[number];

export const datasetFields = ["name", "digest", "context"] as const;
export type DatasetField = (typeof datasetFields)[number];

/** What may follow `order_by`'s attribute prefix (or stand bare). */
export const orderAttributes = ["start_time", "end_time", "run_name", "run_id", "status", "user_id"] as const;
export type OrderAttribute = (typeof orderAttributes)[number];

/** MLflow spells the run's start time `created` too. */
export const attributeAliases: Readonly<Record<string, TimeAttribute>> = { created: "start_time" };

export type Clause =
  | { kind: "metric"; key: string; op: NumericOperator; value: number }
  | { kind: "param" | "tag"; key: string; op: StringOperator; value: string }
  | { kind: "attribute"; key: StringAttribute; op: StringOperator; value: string }
  | { kind: "attribute-list"; key: "run_id"; op: ListOperator; values: string[] }
  | { kind: "time"; key: TimeAttribute; op: NumericOperator; value: number }
  | { kind: "dataset"; key: DatasetField; op: StringOperator; value: string }
  | { kind: "dataset-list"; key: DatasetField; op: ListOperator; values: string[] };

export type OrderBy =
  | { kind: "metric" | "param" | "tag"; key: string; ascending: boolean }
  | { kind: "attribute"; key: OrderAttribute; ascending: boolean };

/** The identifier prefixes MLflow accepts, by what they address. */
export const prefixes: Readonly<Record<string, "metric" | "param" | "tag" | "attribute" | "dataset">> = {
  metric: "metric",
  metrics: "metric",
  param: "param",
  params: "param",
  parameter: "param",
  parameters: "param",
  tag: "tag",
  tags: "tag",
  attribute: "attribute",
  attributes: "attribute",
  attr: "attribute",
  run: "attribute",
  dataset: "dataset",
  datasets: "dataset",
};

export const isOneOf = <T extends string>(list: readonly T[], value: string): value is T => (list as readonly string[]).includes(value);
