/** The portal's URLs of serving endpoints. */
export const endpointsHref = (org: string) => `/o/${org}/endpoints`;
export const endpointHref = (org: string, name: string) => `${endpointsHref(org)}/${encodeURIComponent(name)}`;
