import * as z from "zod";
import { errorResponseSchema, type ErrorCode } from "@comments/core";
import { statusByCode } from "../error-mapper.ts";
import type { PartSchemas } from "../middleware/validate.ts";
import type { RouteDef } from "./route-table.ts";

const input = (schema: z.ZodType) => z.toJSONSchema(schema, { io: "input", unrepresentable: "any" });
const output = (schema: z.ZodType) => z.toJSONSchema(schema, { io: "output", unrepresentable: "any" });
const jsonContent = (schema: Record<string, unknown>) => ({ "application/json": { schema } });

/** Path parameters without a validator are plain strings. */
const pathNames = (path: string) => [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]!);

function parameters(route: RouteDef) {
  const declared: Record<"param" | "query" | "header", PartSchemas> = { param: {}, query: {}, header: {} };
  for (const validator of route.validators ?? []) {
    for (const part of ["param", "query", "header"] as const) Object.assign(declared[part], validator.targets[part]);
  }
  return [
    ...pathNames(route.path).map((name) => ({
      name,
      in: "path",
      required: true,
      schema: declared.param[name] ? input(declared.param[name]) : { type: "string" },
    })),
    ...Object.entries(declared.query).map(([name, schema]) => ({ name, in: "query", schema: input(schema) })),
    ...Object.entries(declared.header).map(([name, schema]) => ({ name, in: "header", schema: input(schema) })),
  ];
}

function responses(route: RouteDef) {
  const answers: Record<string, unknown> = {};
  for (const [status, doc] of Object.entries(route.ok)) {
    answers[status] = { description: doc.description, ...(doc.schema ? { content: jsonContent(output(doc.schema)) } : {}) };
  }
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of route.errors ?? []) byStatus.set(statusByCode[code], [...(byStatus.get(statusByCode[code]) ?? []), code]);
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    answers[String(status)] = { description: codes.join(", "), content: jsonContent(output(errorResponseSchema)) };
  }
  return answers;
}

/** The OpenAPI 3.1 document of `routes`: the same table the app mounts, with the zod schemas it validates with. */
export function openApiDocument(routes: readonly RouteDef[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const body = (route.validators ?? []).find((validator) => validator.targets.json)?.targets.json;
    (paths[route.path] ??= {})[route.method] = {
      summary: route.summary,
      // A reader token is optional: guests call the same routes without one.
      ...(route.auth ? { security: route.auth === "readerToken" ? [{ readerToken: [] }, {}] : [{ [route.auth]: [] }] } : {}),
      parameters: parameters(route),
      ...(body ? { requestBody: { required: true, content: jsonContent(input(body)) } } : {}),
      responses: responses(route),
    };
  }
  return {
    openapi: "3.1.0",
    info: { title: "Comment service", version: "1" },
    components: {
      securitySchemes: {
        moderatorKey: { type: "http", scheme: "bearer" },
        readerToken: { type: "http", scheme: "bearer", bearerFormat: "JWT", description: "A reader signed in by the host site (HS256, see README)" },
      },
    },
    paths,
  };
}
