import { baseConfig } from "@gantry/eslint-config/base";

export default baseConfig;
