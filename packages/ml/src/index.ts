export { selectBackend, tf, type BackendChoice, type BackendName } from "./backend";
