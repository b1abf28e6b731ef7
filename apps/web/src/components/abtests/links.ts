import { endpointHref } from "../endpoints/links";

/** The portal's URLs of A/B tests and alerts. */
export const abTestsHref = (org: string) => `/o/${org}/abtests`;
export const abTestHref = (org: string, id: string) => `${abTestsHref(org)}/${id}`;
export const newAbTestHref = (org: string, endpoint: string) => `${endpointHref(org, endpoint)}/abtests/new`;
export const alertsHref = (org: string) => `/o/${org}/alerts`;
