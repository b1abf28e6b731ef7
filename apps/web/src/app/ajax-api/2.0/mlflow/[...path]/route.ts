import { mlflowHandler } from "~/server/mlflow";

export const dynamic = "force-dynamic";

export { mlflowHandler as GET, mlflowHandler as POST, mlflowHandler as PATCH, mlflowHandler as DELETE };
