/** An error from the Gantry API, with its code and the input field at fault when there is one. */
export class GantryApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly status: number,
    readonly field: string | null = null,
  ) {
    super(message);
    this.name = "GantryApiError";
  }
}
