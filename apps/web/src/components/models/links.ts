/** The portal's URLs of the model registry. */
export const modelsHref = (org: string) => `/o/${org}/models`;
export const modelHref = (org: string, name: string) => `/o/${org}/models/${encodeURIComponent(name)}`;
export const modelVersionHref = (org: string, name: string, version: number) => `${modelHref(org, name)}/versions/${version}`;
export const compareVersionsHref = (org: string, name: string, versions: number[]) => `${modelHref(org, name)}/compare?versions=${versions.join(",")}`;
