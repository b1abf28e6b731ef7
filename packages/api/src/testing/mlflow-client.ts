/** A minimal MLflow REST client speaking only the wire format (what any MLflow client sends). */
export function mlflowClient(baseUrl: string, auth: string) {
  const headers = { authorization: auth };
  const parse = async (r: Response) => ({ status: r.status, body: (await r.json().catch(() => null)) as Record<string, any> }); // eslint-disable-line @typescript-eslint/no-explicit-any
  return {
    post: (path: string, body: unknown, extra: Record<string, string> = {}) =>
      fetch(`${baseUrl}/api/2.0/mlflow/${path}`, { method: "POST", headers: { ...headers, "content-type": "application/json", ...extra }, body: JSON.stringify(body) }).then(parse),
    /** PATCH and DELETE: MLflow sends their message as a JSON body too. */
    send: (method: "PATCH" | "DELETE" | "POST", path: string, body: unknown) =>
      fetch(`${baseUrl}/api/2.0/mlflow/${path}`, { method, headers: { ...headers, "content-type": "application/json" }, body: JSON.stringify(body) }).then(parse),
    get: (path: string, query: Record<string, string | string[]> = {}, extra: Record<string, string> = {}) => {
      const qs = new URLSearchParams();
      for (const [k, v] of Object.entries(query)) for (const x of Array.isArray(v) ? v : [v]) qs.append(k, x);
      return fetch(`${baseUrl}/api/2.0/mlflow/${path}?${qs}`, { headers: { ...headers, ...extra } }).then(parse);
    },
    putArtifact: (artifactPath: string, body: string | Uint8Array, contentType = "text/plain") =>
      fetch(`${baseUrl}/api/2.0/mlflow-artifacts/artifacts/${artifactPath}`, { method: "PUT", headers: { ...headers, "content-type": contentType }, body }).then(parse),
    getArtifact: (artifactPath: string) => fetch(`${baseUrl}/api/2.0/mlflow-artifacts/artifacts/${artifactPath}`, { headers }),
    listArtifacts: (dir: string) => fetch(`${baseUrl}/api/2.0/mlflow-artifacts/artifacts?path=${encodeURIComponent(dir)}`, { headers }).then(parse),
  };
}

export const bearer = (key: string) => `Bearer ${key}`;
export const basic = (key: string) => `Basic ${Buffer.from(`user:${key}`).toString("base64")}`;
