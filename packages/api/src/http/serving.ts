/** GET /api/v1/serving: where the model endpoints answer (the worker's serving port), for the client and CLI. */
export function handleServingInfo(url: string | undefined): Response {
  if (!url) return Response.json({ error: { code: "NOT_FOUND", message: "This server has no serving URL configured (GANTRY_SERVE_URL)", field: null } }, { status: 404 });
  return Response.json({ url });
}
