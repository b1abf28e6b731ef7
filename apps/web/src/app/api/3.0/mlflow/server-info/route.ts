import { handleServerInfo } from "@gantry/api/mlflow";

export const GET = handleServerInfo;
