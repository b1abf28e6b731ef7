export type { Clause, DatasetField, ListOperator, NumericOperator, OrderAttribute, OrderBy, StringAttribute, StringOperator, TimeAttribute } from "./grammar";
export { parseOrderBy, parseRunFilter } from "./parse";
export { runMatchesFilter, sortRuns, type SearchableRun } from "./evaluate";
export { maxSearchResults, searchRunIds, type RunViewType, type SearchRunIdsInput, type SearchRunIdsResult } from "./sql";
