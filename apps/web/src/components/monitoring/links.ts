import { endpointHref } from "~/components/endpoints/links";

/** The portal's URLs of monitoring. */
export const monitoringHref = (org: string) => `/o/${org}/monitoring`;
export const endpointMonitoringHref = (org: string, endpoint: string) => `${endpointHref(org, endpoint)}/monitoring`;
