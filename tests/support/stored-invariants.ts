import { ScanCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { publicCommentSchema, toPublicComment } from "@comments/core";
import { itemToComment, type Item } from "@comments/store";

/** Every item of a table (a full Scan, for checks after a test run only). */
export async function scanTable(client: DynamoDBDocumentClient, tableName: string): Promise<Item[]> {
  const items: Item[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey: startKey }));
    items.push(...((page.Items ?? []) as Item[]));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

const allowedTags = new Set(["p", "br", "em", "strong", "code", "pre", "a"]);
const allowedAttributes: Record<string, Set<string>> = { a: new Set(["href", "rel", "target", "title"]), code: new Set(["class"]) };

function decodeEntities(text: string): string {
  return text
    .replace(/&#x([0-9a-f]+);?/gi, (_, hex: string) => String.fromCodePoint(Number.parseInt(hex, 16)))
    .replace(/&#(\d+);?/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

/**
 * Problems with rendered comment HTML: tags outside the Markdown subset, any other attribute (so no `on…=`),
 * `<script`, or a link whose scheme is not http, https or mailto. Empty when the HTML is safe.
 */
export function unsafeHtmlProblems(html: string): string[] {
  const problems: string[] = [];
  if (/<\s*script/i.test(html)) problems.push("contains <script");
  // markdown-it escapes every `<` of the text, so each literal `<` here opens a real tag.
  for (const match of html.matchAll(/<\/?([^\s>/]+)([^>]*)>/g)) {
    const tag = match[1]!.toLowerCase();
    if (!allowedTags.has(tag)) problems.push(`tag <${tag}>`);
    if (match[0].startsWith("</")) continue;
    const rest = match[2]!;
    const attributes = [...rest.matchAll(/\s*([^\s="]+)(?:="([^"]*)")?/g)].filter((a) => a[0].trim() !== "" && a[1] !== "/");
    for (const [, name, value] of attributes) {
      const attribute = name!.toLowerCase();
      if (!allowedAttributes[tag]?.has(attribute)) problems.push(`attribute ${attribute} on <${tag}>`);
      if (attribute === "href") {
        const href = decodeEntities(value ?? "").trim().toLowerCase();
        if (!/^(https?:\/\/|mailto:)/.test(href)) problems.push(`href ${href}`);
      }
    }
  }
  return problems;
}

/** A summary of what a table holds, for exactly-once and counter checks. */
export interface StoredSummary {
  /** Every comment item, parsed back into the domain shape. */
  comments: ReturnType<typeof itemToComment>[];
  /** Each stored comment id with how many items carry it (must be 1). */
  idCounts: Map<string, number>;
  /** Per thread partition: the counter on the thread item and the number of published comment items. */
  threads: Map<string, { commentCount: number; published: number }>;
  /** Everything wrong with the stored comments (parse failures, unsafe HTML, counter mismatches). */
  problems: string[];
}

/**
 * Reads a whole table back and checks the invariants every run must leave behind: every comment item
 * parses through `itemToComment`, its public view passes `publicCommentSchema`, its HTML is safe, no id is
 * stored twice, and every thread's `commentCount` equals its published comment items.
 */
export async function checkStoredComments(client: DynamoDBDocumentClient, tableName: string): Promise<StoredSummary> {
  const items = await scanTable(client, tableName);
  const problems: string[] = [];
  const comments: StoredSummary["comments"] = [];
  const idCounts = new Map<string, number>();
  const copies = new Set<string>();
  const threads = new Map<string, { commentCount: number; published: number }>();
  const thread = (pk: string) => {
    let entry = threads.get(pk);
    if (!entry) threads.set(pk, (entry = { commentCount: 0, published: 0 }));
    return entry;
  };
  for (const item of items) {
    const pk = String(item.pk);
    const sk = String(item.sk);
    if (pk.startsWith("T#") && sk === "C") {
      thread(pk).commentCount = typeof item.commentCount === "number" ? item.commentCount : 0;
      continue;
    }
    if (item.type === "pageRoot" || item.type === "pageReply") {
      if (item.x !== true) copies.add(String(item.i));
      for (const reply of Object.values((item.r as Record<string, { i: string }> | undefined) ?? {})) copies.add(reply.i);
      continue;
    }
    if (item.type !== "comment") continue;
    let comment: ReturnType<typeof itemToComment>;
    try {
      comment = itemToComment(item);
    } catch (error) {
      problems.push(`${pk} ${sk}: does not parse (${String(error)})`);
      continue;
    }
    comments.push(comment);
    idCounts.set(comment.id, (idCounts.get(comment.id) ?? 0) + 1);
    const view = publicCommentSchema.safeParse(toPublicComment(comment));
    if (!view.success) problems.push(`${comment.id}: public view fails the schema (${view.error.message})`);
    for (const problem of unsafeHtmlProblems(comment.bodyHtml)) problems.push(`${comment.id}: ${problem}`);
    const published = sk.startsWith("M#");
    if (published !== (comment.status === "published")) problems.push(`${comment.id}: status ${comment.status} stored under ${sk}`);
    if (!["published", "pending", "rejected", "spam"].includes(comment.status)) problems.push(`${comment.id}: status ${comment.status}`);
    // An author's deleted comment with replies stays as a placeholder but no longer counts.
    if (published && !comment.deleted) thread(pk).published += 1;
  }
  for (const [id, count] of idCounts) if (count !== 1) problems.push(`${id}: stored ${count} times`);
  // Every published comment has its copy on the thread's pages, and nothing else has one.
  for (const comment of comments) {
    if ((comment.status === "published") !== copies.has(comment.id)) problems.push(`${comment.id}: ${comment.status} but ${copies.has(comment.id) ? "" : "no "}page copy`);
  }
  for (const [pk, entry] of threads) {
    if (entry.commentCount !== entry.published) problems.push(`${pk}: commentCount ${entry.commentCount} but ${entry.published} published`);
  }
  return { comments, idCounts, threads, problems };
}
