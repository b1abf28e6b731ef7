/** What the global setup hands to every test file through inject(). */
export {};

declare module "vitest" {
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions -- module augmentation needs an interface
  export interface ProvidedContext {
    gantryDb: { adminUrl: string; template: string; prefix: string };
  }
}
