import type { Context, MiddlewareHandler } from "hono";
import * as z from "zod";
import { fieldsFromZodError, validationFailed } from "@comments/core";
import type { AppEnv } from "../deps.ts";
import { readJson } from "./read-json.ts";

/** Schemas of named request parts (path parameters, query parameters or headers), by name. */
export type PartSchemas = Record<string, z.ZodType>;

/** What one {@link validate} middleware checks. */
export interface ValidationTargets {
  /** Path parameters, by name. */
  param?: PartSchemas;
  /** Query parameters, by name; an array schema receives every value of a repeated parameter. */
  query?: PartSchemas;
  /** Headers, by name as written: the name is also the field path of its message (`Idempotency-Key`). */
  header?: PartSchemas;
  /** The JSON body, read first (`413 payload_too_large`, `400 invalid_json`) and validated after the other parts. */
  json?: z.ZodType;
}

type PartValues<S extends PartSchemas | undefined> = S extends PartSchemas ? { [K in keyof S]: z.output<S[K]> } : never;

/** The validated values of one request, typed from the schemas. `rawJson` is the body as sent (request hashing). */
export interface Validated<T extends ValidationTargets> {
  param: PartValues<T["param"]>;
  query: PartValues<T["query"]>;
  header: PartValues<T["header"]>;
  json: T["json"] extends z.ZodType ? z.output<T["json"]> : never;
  rawJson: unknown;
}

/** Options for {@link validate}. */
export interface ValidateOptions<T extends ValidationTargets> {
  /**
   * A check that needs more than a schema (for example the site's body length limit). It sees the parts that
   * passed and returns more field messages, reported in the same `400` as the schema failures.
   */
  check?: (values: Partial<Validated<T>>, c: Context<AppEnv>) => Record<string, string> | undefined;
}

/** A validation middleware, its schemas (the OpenAPI document reads them) and the accessor for its values. */
export interface Validator<T extends ValidationTargets = ValidationTargets> {
  targets: T;
  middleware: MiddlewareHandler<AppEnv>;
  /** The values this validator accepted for the request (call only in handlers after it). */
  values(c: Context<AppEnv>): Validated<T>;
}

const parts = ["param", "header", "query"] as const;

function readPart(c: Context, part: (typeof parts)[number], name: string, schema: z.ZodType): unknown {
  if (part === "param") return c.req.param(name);
  if (part === "header") return c.req.header(name);
  return schema instanceof z.ZodArray ? (c.req.queries(name) ?? []) : c.req.query(name);
}

/**
 * Validation at the edge: every zod failure becomes the one `400 validation_failed` answer, with a message per
 * dotted field path. One validator reports all its parts' problems together (path, headers, query, then body);
 * a route that must stop at the first bad part lists several validators, which answer in the order listed.
 * @example const body = validate({ json: flagInputSchema }); … body.values(c).json.reason
 */
export function validate<const T extends ValidationTargets>(targets: T, options: ValidateOptions<T> = {}): Validator<T> {
  const objects = Object.fromEntries(parts.flatMap((part) => (targets[part] ? [[part, z.object(targets[part]!)]] : []))) as Partial<Record<(typeof parts)[number], z.ZodObject>>;
  // The parts this validator reads and their named schemas, listed once rather than on every request.
  const partEntries = parts.flatMap((part) => (targets[part] ? [{ part, object: objects[part]!, named: Object.entries(targets[part]!) }] : []));
  const validator: Validator<T> = {
    targets,
    values: (c) => c.var.validated.get(validator) as Validated<T>,
    middleware: async function validateRequest(c, next) {
      const rawJson = targets.json ? await readJson(c) : undefined;
      const values: Partial<Validated<T>> & Record<string, unknown> = { rawJson };
      const fields: Record<string, string> = {};
      for (const { part, object, named } of partEntries) {
        const input: Record<string, unknown> = {};
        for (const [name, schema] of named) input[name] = readPart(c, part, name, schema);
        const result = object.safeParse(input);
        if (result.success) values[part] = result.data as never;
        else Object.assign(fields, fieldsFromZodError(result.error));
      }
      if (targets.json) {
        const result = targets.json.safeParse(rawJson);
        if (result.success) values.json = result.data as never;
        else Object.assign(fields, fieldsFromZodError(result.error));
      }
      Object.assign(fields, options.check?.(values, c));
      if (Object.keys(fields).length > 0) throw validationFailed(fields);
      const validated = c.var.validated ?? new Map<unknown, unknown>();
      validated.set(validator, values);
      c.set("validated", validated);
      await next();
    },
  };
  return validator;
}
