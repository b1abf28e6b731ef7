// Intentionally empty: the training issue (#4) brings the first modules. See README.md.
export {};
