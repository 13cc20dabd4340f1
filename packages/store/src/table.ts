/**
 * The one key design of the comment service (single DynamoDB table).
 *
 * Zero imports on purpose: the local server, the tests and `infra/table.ts` (SST) all build
 * the same table from this file. This comment is the one overview of the table; the key strings themselves
 * are spelled only in the entity module that owns each item kind (`entities/<kind>.ts`, named below).
 *
 * Generic attribute names (`pk`, `sk`, `gsi1pk`, `gsi1sk`, `gsi2pk`, `gsi2sk`, `gsi3sk`, `gsi4sk`, `gsi5pk`, `gsi5sk`, `ttl`), domain-named
 * access patterns. Ids are time-sortable (ULID), so sorting by id is sorting by creation time.
 * Every item carries `type` (its kind) and `v` (the schema version of its shape; items written before `v`
 * existed have none and read as version 1).
 *
 * Items (entity module in brackets)
 * -----
 * | item                  | pk                          | sk                     | indexes                                   | entity
 * | thread                | T#<site>#<thread>           | C                      | gsi3sk "~", gsi4sk "!" (head of each sort) | [thread]
 * | page root             | T#<site>#<thread>           | C#<rootId>             | gsi3sk <rootId>; gsi4sk <top key>         | [page]
 * | outside reply         | T#<site>#<thread>           | P#<rootId>#<replyId>   |                                           | [page]
 * | published comment     | T#<site>#<thread>           | M#<commentId>          | gsi1 if flagged; gsi2 author              | [comment]
 * | hidden comment        | T#<site>#<thread>           | H#<commentId>          | gsi1 if pending; gsi2 author              | [comment]
 * | reader flag           | T#<site>#<thread>           | F#<commentId>#<ipHash> |                                           | [flag]
 * | reader like           | T#<site>#<thread>           | V#<commentId>#<reader> |                                           | [like]
 * | author                | U#<site>#<author>           | U                      |                                           | [author]
 * | ban                   | S#<site>                    | B#<banId>              |                                           | [ban]
 * | ban lookup            | X#<site>#<author or ipHash> | X                      |                                           | [ban]
 * | audit entry           | L#<site>                    | <at>#<entryId>         |                                           | [audit]
 * | idempotency           | I#<site>#<key>              | I                      | ttl: +24 h                                | [idempotency]
 * | post windows + count  | M#<site>                    | <YYYY-MM-DD>#<poster>  | ttl: the day + 91 d                       | [rate-window]
 * | like window           | R#<site>#<ipHash>           | L                      | ttl: minute end + 1 h                     | [rate-window]
 * | moderator key         | K#<keyId>                   | K                      |                                           | [moderator-key]
 * | deleted comment       | T#<site>#<thread>           | G#<commentId>          | ttl: +30 d                                | [comment-edit]
 *   (author item: `publishedCount`: ever published, the first-comment rule; `n_<status>`: comments in each status now;
 *   `d_<digest>`: duplicate guards, when each ends [duplicate-guard])
 * | key directory         | K                           | K#<keyId>              |                                           | [moderator-key]
 * | daily stats           | M#<site>                    | <YYYY-MM-DD>           |                                           | [stats]
 *   (post windows + count: a poster's (IP hash, or signed-in author hash) rate-limit windows of the day and their new
 *   comments of the day by outcome, `c_<outcome>`; summed with the day's item by the stats read, pattern 21)
 * | subscription          | N#<site>#<thread>           | M#<subscriptionId>     |                                           | [subscription]
 * | subscription token    | NT#<tokenHash>              | T                      | ttl: confirm +7 d                         | [subscription]
 * | mail address          | NA#<site>#<addressHash>     | A                      | ttl: +1 d                                 | [mail-state]
 * | mail gathering        | NG#<site>                   | G#<addressHash>#<thread> | ttl: +1 d                               | [mail-state]
 * | mail digest           | ND#<site>                   | D                      |                                           | [mail-state]
 * | mail suppression      | NX#<addressHash>            | X                      |                                           | [mail-state]
 * gsi1 (queue): Q#<site> / <queuedAt>#<id>. gsi2 (author, keys only): A#<site>#<author> / <commentId>.
 * gsi5 (site timeline, published comment items only): W#<site> / <commentId> [comment].
 * gsi3 (newest) and gsi4 (top) are keyed by the table's own `pk` with `gsi3sk` / `gsi4sk` as range keys, so
 * only the thread item and page roots are in them (sparse), and no second partition key is stored.
 *
 * Public and private data live apart. A comment's whole record (raw body, email, hashes, moderation data,
 * likes) is its comment item (`M#` published, `H#` hidden: a status change that crosses that line moves it,
 * delete + put in one transaction). What a thread page shows of it is a copy in a page item, with short
 * attribute names (`a` author name, `u` url, `h` bodyHtml, `t` createdAt, `l` likes, `p` parentId; absent
 * when null or 0) and nothing else:
 * - a page root (`C#<rootId>`) holds its top-level comment AND the first 50 replies of its sub-thread
 *   (replies of replies included) in the map `r` (replyId → fields); `rn` counts the sub-thread's published
 *   replies, `ri` the inline places ever used (never lowered, so every reply outside comes after those
 *   inside); `x` marks a root that left the published set while replies stay (the root is not shown, its
 *   replies are). One item per root is what lets a Query's `Limit` count top-level comments.
 * - the 51st reply of a sub-thread on goes to its own item `P#<rootId>#<replyId>`, outside the page range,
 *   read by the replies route.
 * The comment item remembers where its copy is (`rootId`, `placement`: root / inline / outside). Every write
 * that changes the published set, a like or an erasure changes the comment item and its copy in ONE
 * transaction. The thread item keeps up to 3 featured comments' copies (`f`), newest feature first.
 * Top key (gsi4sk): `<999999999 - likes, 9 digits>#<rootId>`, ascending = most likes first, then oldest.
 *
 * Access patterns
 * ---------------
 * 1. Thread page, first page: ONE Query; the head of each order is the thread item (counters, version,
 *    featured), then page roots, `Limit` = roots asked for + 2 (head, and one more root to know of a next page):
 *    - oldest: table, pk = T#site#thread, sk BETWEEN "C" AND "C$", forward;
 *    - newest: gsi3, pk = T#site#thread, backward (the thread item's "~" sorts after every ULID);
 *    - top:    gsi4, pk = T#site#thread, forward (the thread item's "!" sorts before every top key).
 *    Later pages: the same Query from the cursor's key (`ExclusiveStartKey`) plus a GetItem of the thread
 *    item, in parallel: 2 calls. Nothing is filtered out: hidden comments, flags, likes and outside replies
 *    sort outside these ranges and are not in gsi3/gsi4. Page roots carry only public fields (≤ 3 read units
 *    for 50 comments of 250 characters, eventually consistent).
 *    A top-sorted later page starts at the last root's top key as it was when the previous page was read: a
 *    root whose likes changed in between may show twice or be skipped (like every live "top" list).
 * 1b. `around=<commentId>` (deep link): ONE BatchGetItem of the thread item and the comment item (its
 *    `rootId`), then the Query of pattern 1 starting AT that root: 2 calls. Exception: `sort=top` for a reply
 *    needs its root's likes first, a third call (GetItem of the root's comment item).
 * 1c. Replies beyond the first 50 of a sub-thread: ONE Query, pk = T#site#thread, sk begins_with
 *    "P#<rootId>#", oldest first.
 * 2. Thread ETag check (If-None-Match): ONE GetItem of the thread item (its `version` changes with every
 *    change a page shows: the published set, likes, featured, erasures).
 * 3. Comment counts for up to 100 threads: BatchGetItem of thread items.
 * 4. Comment by id (decisions, flags, bans): TransactGetItems of M#id and H#id.
 * 5. Parent check on reply: GetItem M#parentId (only published comments can be replied to; it names the root).
 * 6. Moderation queue per site, oldest first: Query gsi1 (sparse: only items awaiting a decision
 *    carry gsi1pk = Q#site; spam never does).
 * 7. A reader's comments on a site (data export / erasure, by author hash): Query gsi2 (keys only).
 * 8. Publish a comment: ONE BatchGetItem for the checks (ban lookups of pattern 10, the poster's windows item and,
 *    when the site pre-moderates first comments or guards against duplicates, the author item), then ONE
 *    TransactWrite [put comment, put its page root or add it to its root's page item (a 51st reply: put the
 *    outside reply + count it on the root), update thread counter/version, update author (counts; duplicate
 *    guard, conditional), complete the idempotency record, count both rate-limit windows and the day's stats
 *    (one conditional update of the poster's day item), parent check for a reply]. A published top-level comment
 *    without Idempotency-Key: 2 calls, 5 items (queued: 4; with a key, a claim before, pattern 14: 3 calls, 6).
 * 9. Status change: TransactWrite with a condition on the current status (exactly one moderator wins), the
 *    page copy (added, or removed: a root is only marked `x` while replies stay), the thread counter when the
 *    published set changes, and the audit entry. Feature / unfeature: GetItem of the thread item, then a
 *    TransactWrite of the thread's list (conditional on its version), the comment item and the audit entry.
 *    A post adds to no counter item of its own: the author's `n_<status>` ride on the author item, the day's
 *    stats count on the poster's windows item (pattern 21), both written by the transaction anyway.
 *    Status changes also move the author's `n_<status>` counters and add to the day's decision counters
 *    (pattern 21), so a decision is counted and audited exactly once. Bulk decisions are up to 100 of these,
 *    8 at a time; a ban's purge is the same write for each published or pending comment of the author
 *    (pattern 7), conditional on the status read instead of the queue.
 * 10. Ban check: BatchGetItem of X#site#author and X#site#ipHash (shared with the rate windows on a post).
 * 11. Active bans: Query pk = S#site, sk begins_with "B#".
 * 12. Audit log, newest first: Query pk = L#site, ScanIndexForward = false.
 * 13. Moderator key: GetItem K#keyId, then a constant-time comparison of the secret's hash.
 * 15. A reader's edit or delete of their own comment: read it (pattern 4), then ONE TransactWrite conditioned on
 *     the status, edit count, flag count and queue entry read (a concurrent edit, flag or decision fails it):
 *     put in place, or delete + put when it leaves the published range, with the thread counter. A delete of
 *     a published comment first Queries its thread's published range for a reply (placeholder or removal).
 * 14. Idempotency-Key: a conditional PutItem claims the key with a short-lived in-progress record
 *     (`ReturnValuesOnConditionCheckFailure: ALL_OLD` hands back the record that stands, no second read);
 *     the answering transaction (8) completes it; a failed attempt deletes its claim; a concurrent duplicate
 *     polls it with GetItem (consistent) until it completes.
 * 15. Like / unlike: GetItem of the comment item (published? where is its copy? likes now), then ONE
 *     TransactWrite [put or delete the reader's like (conditional: repeats change nothing), the comment's
 *     likes (conditional on the count read, so a root's top key stays exact), the page copy's likes and top
 *     key, the thread's version, the IP's like window (60 a minute)].
 * 16. Layout migration (`npm run data -- migrate-layout`) and imports: per thread, Query the partition and
 *     rebuild the page items from the comment items (idempotent: only differences are written).
 * 17. Permalink (`GET /v1/sites/{site}/comments/{id}`): ONE Query on gsi5 (site timeline), gsi5pk = W#site,
 *     gsi5sk = commentId, Limit 1. Only published, not erased comments carry gsi5 keys, so the index answers
 *     "is it public?" by itself. The redirect needs the thread's page address: every comment item carries
 *     `pageUrl`, the (origin-checked, normalized) page address its POST reported — the address of its thread at
 *     the time. A comment posted without one (imports, API clients that send no `page`) has no permalink.
 *     The thread item keeps the latest `url` and `title` of its posts for the thread answer.
 * 18. Site feed (Atom, latest 50 published comments, newest first): ONE Query on gsi5, W#site,
 *     ScanIndexForward = false, Limit 50 (ids are time-sortable). Thread feed: ONE Query on the thread's
 *     partition, sk between "M#" and "M#~" (the comment items), ScanIndexForward = false, Limit 50.
 * 19. Key directory (admins list keys): Query pk = K (no hashes); written with the key, deleted on revoke.
 * 20. Moderation context of a page of comments (thread url/title, parents, author counts, ban lookups of
 *     pattern 10): ONE BatchGetItem per 100 distinct keys. An author's comments, newest first: Query gsi2
 *     (pattern 7, ScanIndexForward = false), then BatchGetItem of the comments.
 * 21. Moderation stats of `days` days: ONE Query pk = M#site, sk BETWEEN the first date and the last date + "~"
 *     (each day's item: decisions by action and moderator, time-to-decision buckets; each poster's day item: new
 *     comments by outcome, summed per day — so the read grows with the posters of the days, ~100 bytes each, one
 *     Query per MB), plus the queue (pattern 6, projected to queuedAt and reasons: one Query per 1 MB of queue).
 * 22. Mail (DESIGN §6.5): a thread's subscriptions, ONE Query on pk = N#site#thread; a confirm/unsubscribe link,
 *     GetItem NT#tokenHash then the subscription; due gatherings of a site, ONE Query on pk = NG#site (filtered
 *     on `dueAt`). Addresses are stored only inside subscription items, keys carry keyed hashes.
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
  gsi3sk: "gsi3sk",
  gsi4sk: "gsi4sk",
  gsi5pk: "gsi5pk",
  gsi5sk: "gsi5sk",
} as const;

/** The attribute DynamoDB's TTL deletes expired items by (epoch seconds). */
export const ttlAttribute = "ttl";

/** Index names. */
export const indexNames = { queue: "gsi1", author: "gsi2", newest: "gsi3", top: "gsi4", siteTimeline: "gsi5" } as const;

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
    gsi3sk: "string",
    gsi4sk: "string",
    gsi5pk: "string",
    gsi5sk: "string",
  },
  primaryIndex: { hashKey: "pk", rangeKey: "sk" },
  globalIndexes: {
    gsi1: { hashKey: "gsi1pk", rangeKey: "gsi1sk", projection: "all" },
    gsi2: { hashKey: "gsi2pk", rangeKey: "gsi2sk", projection: "keys-only" },
    gsi3: { hashKey: "pk", rangeKey: "gsi3sk", projection: "all" },
    gsi4: { hashKey: "pk", rangeKey: "gsi4sk", projection: "all" },
    // Projects everything: the feed shows the body and author name, the permalink needs pageUrl and threadId.
    gsi5: { hashKey: "gsi5pk", rangeKey: "gsi5sk", projection: "all" },
  },
  ttl: ttlAttribute,
  stream: "new-and-old-images",
} as const;
