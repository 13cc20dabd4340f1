import { fieldsFromZodError, limitSchema, validationFailed } from "@comments/core";

/** The `limit` query parameter of paged routes: 1..100, default 50, else `400 validation_failed`. */
export function parseLimit(raw: string | undefined): number {
  const result = limitSchema.safeParse(raw);
  if (!result.success) throw validationFailed(fieldsFromZodError(result.error, "limit"));
  return result.data;
}
