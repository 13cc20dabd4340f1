/**
 * The one key design of the comment service (single DynamoDB table).
 *
 * Zero imports on purpose: the local server, the tests and `infra/table.ts` (SST) all build
 * the same table from this file. This comment is the one overview of the table; the key strings themselves
 * are spelled only in the entity module that owns each item kind (`entities/<kind>.ts`, named below).
 *
 * Generic attribute names (`pk`, `sk`, `gsi1pk`, `gsi1sk`, `gsi2pk`, `gsi2sk`, `gsi5pk`, `gsi5sk`, `ttl`), domain-named
 * access patterns. Ids are time-sortable (ULID), so sorting by id is sorting by creation time.
 * Every item carries `type` (its kind) and `v` (the schema version of its shape; items written before `v`
 * existed have none and read as version 1).
 *
 * Items (entity module in brackets)
 * -----
 * | item              | pk                          | sk                    | gsi1 (queue)                       | gsi2 (author)
 * | thread            | T#<site>#<thread>           | C                     |                                    |            [thread]
 * | published comment | T#<site>#<thread>           | C#<commentId>         | Q#<site> / <queuedAt>#<id> if flagged | A#<site>#<author> / <commentId> [comment]
 * |   … and in gsi5 (site timeline): W#<site> / <commentId>
 * | hidden comment    | T#<site>#<thread>           | H#<commentId>         | Q#<site> / <queuedAt>#<id> if pending | A#<site>#<author> / <commentId> [comment]
 * | reader flag       | T#<site>#<thread>           | F#<commentId>#<ipHash>|                                    |            [flag]
 * | author            | U#<site>#<author>           | U                     |                                    |            [author]
 * | ban               | S#<site>                    | B#<banId>             |                                    |            [ban]
 * | ban lookup        | X#<site>#<author or ipHash> | X                     |                                    |            [ban]
 * | audit entry       | L#<site>                    | <at>#<entryId>        |                                    |            [audit]
 * | idempotency       | I#<site>#<key>              | I                     |                                    |  ttl: +24 h [idempotency]
 * | rate-limit windows| R#<site>#<ipHash>           | W                     |                                    |  ttl: hour end + 1 h [rate-window]
 * | duplicate guard   | D#<site>#<thread>#<digest>  | D                     |                                    |  ttl: +10 min [duplicate-guard]
 * | moderator key     | K#<keyId>                   | K                     |                                    |            [moderator-key]
 *
 * "hidden" = pending, rejected or spam. A comment's sort key says whether it is published, so a status
 * change that crosses that line moves the item (delete + put in one transaction).
 *
 * Access patterns
 * ---------------
 * 1. Thread page (public read): ONE Query on pk = T#site#thread, sk BETWEEN "C" AND "C$".
 *    The first page returns the thread item ("C") followed by published comments ("C#…") oldest first;
 *    hidden comments ("H#…") and flags ("F#…") sort outside that range, so nothing is filtered out.
 * 2. Thread ETag check (If-None-Match): ONE GetItem of the thread item (its `version` changes with
 *    every change to the published set).
 * 3. Comment counts for up to 100 threads: BatchGetItem of thread items.
 * 4. Comment by id (decisions, flags, bans): BatchGetItem of C#id and H#id.
 * 5. Parent check on reply: GetItem C#parentId (only published comments can be replied to).
 * 6. Moderation queue per site, oldest first: Query gsi1 (sparse: only items awaiting a decision
 *    carry gsi1pk = Q#site; spam never does).
 * 7. A reader's comments on a site (data export / erasure, by author hash): Query gsi2 (keys only).
 * 8. Publish a comment: ONE BatchGetItem for the checks (ban lookups of pattern 10 and the rate-limit windows
 *    item, asked for together), then ONE TransactWrite [put comment, update thread counter/version, update
 *    author, complete the idempotency record, count both rate-limit windows (one item: `m<minute>` and
 *    `h<hour>` counters), duplicate guard] — all conditional. Without an Idempotency-Key: 2 calls, 5 items.
 * 9. Status change: TransactWrite with a condition on the current status (exactly one moderator wins),
 *    the thread counter when the published set changes, and the audit entry.
 * 10. Ban check: BatchGetItem of X#site#author and X#site#ipHash (shared with the rate windows on a post).
 * 11. Active bans: Query pk = S#site, sk begins_with "B#".
 * 12. Audit log, newest first: Query pk = L#site, ScanIndexForward = false.
 * 13. Moderator key: GetItem K#keyId, then a constant-time comparison of the secret's hash.
 * 15. Permalink (`GET /v1/sites/{site}/comments/{id}`): ONE Query on gsi5 (site timeline), gsi5pk = W#site,
 *     gsi5sk = commentId, Limit 1. Only published, not erased comments carry gsi5 keys, so the index answers
 *     "is it public?" by itself. The redirect needs the thread's page address: every comment item carries
 *     `pageUrl`, the (origin-checked, normalized) page address its POST reported — the address of its thread at
 *     the time. A comment posted without one (imports, API clients that send no `page`) has no permalink.
 *     The thread item keeps the latest `url` and `title` of its posts for the thread answer.
 * 16. Site feed (Atom, latest 50 published comments, newest first): ONE Query on gsi5, W#site,
 *     ScanIndexForward = false, Limit 50 (ids are time-sortable). Thread feed: ONE Query on the thread's
 *     partition, sk between "C#" and "C$", ScanIndexForward = false, Limit 50.
 * 14. Idempotency-Key: a conditional PutItem claims the key with a short-lived in-progress record
 *     (`ReturnValuesOnConditionCheckFailure: ALL_OLD` hands back the record that stands, no second read);
 *     the answering transaction (8) completes it; a failed attempt deletes its claim; a concurrent duplicate
 *     polls it with GetItem (consistent) until it completes.
 *
 * Code layout: `entities/*` build keys, items and transaction items (no I/O); `access/*` run the access
 * patterns through the one `send` wrapper (`send.ts`); `store.ts` composes them into the `Store`.
 */

/** Attribute names of the table's keys. */
export const keyAttributes = {
  pk: "pk",
  sk: "sk",
  gsi1pk: "gsi1pk",
  gsi1sk: "gsi1sk",
  gsi2pk: "gsi2pk",
  gsi2sk: "gsi2sk",
  gsi5pk: "gsi5pk",
  gsi5sk: "gsi5sk",
} as const;

/** The attribute DynamoDB's TTL deletes expired items by (epoch seconds). */
export const ttlAttribute = "ttl";

/** Index names. */
export const indexNames = { queue: "gsi1", author: "gsi2", siteTimeline: "gsi5" } as const;

/**
 * The table definition, in a shape both `CreateTable` (local) and `sst.aws.Dynamo` (AWS) are built from.
 */
export const tableDefinition = {
  fields: {
    pk: "string",
    sk: "string",
    gsi1pk: "string",
    gsi1sk: "string",
    gsi2pk: "string",
    gsi2sk: "string",
    gsi5pk: "string",
    gsi5sk: "string",
  },
  primaryIndex: { hashKey: "pk", rangeKey: "sk" },
  globalIndexes: {
    gsi1: { hashKey: "gsi1pk", rangeKey: "gsi1sk", projection: "all" },
    gsi2: { hashKey: "gsi2pk", rangeKey: "gsi2sk", projection: "keys-only" },
    // Projects everything: the feed shows the body and author name, the permalink needs pageUrl and threadId.
    gsi5: { hashKey: "gsi5pk", rangeKey: "gsi5sk", projection: "all" },
  },
  ttl: ttlAttribute,
  stream: "new-and-old-images",
} as const;
