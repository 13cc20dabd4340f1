export * from "./errors.ts";
export * from "./ids.ts";
export * from "./types.ts";
export * from "./schemas.ts";
export * from "./sites.ts";
export * from "./render.ts";
export * from "./phases/index.ts";
export * from "./contract.ts";
