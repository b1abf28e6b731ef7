import { mlflowArtifactsHandler } from "~/server/mlflow";

export const dynamic = "force-dynamic";

export { mlflowArtifactsHandler as GET, mlflowArtifactsHandler as PUT, mlflowArtifactsHandler as DELETE, mlflowArtifactsHandler as POST };
