export * from "./principal";
