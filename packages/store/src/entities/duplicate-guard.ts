import { epochSeconds, type Item } from "./item.ts";

/**
 * Duplicate guards: the same comment posted twice in a thread within the site's window is refused. A guard is an
 * attribute of the author's item (`author.ts`), `d_<digest>` = the epoch second it ends, the digest a keyed hash
 * of the thread and the normalised body; the author item's condition in the post's transaction checks it, so a
 * guard costs no item of its own. (Before 2026-12 each guard was an item, `D#<site>#<thread>#<digest>` / `D`;
 * those expire by TTL within the window.)
 *
 * Guards that ended and that the post read (the checks before a post read the author item) are removed by the
 * post's write, each only while it still holds the value read: a concurrent post of the same author may have
 * renewed it, and that guard must stay.
 */

/** A guard to set with a new comment, and the author item as the post read it (for its ended guards). */
export interface DuplicateGuard {
  digest: string;
  windowMinutes: number;
  now: Date;
  seen: Item | null | undefined;
}

const guardAttribute = (digest: string) => `d_${digest}`;
const isGuard = (name: string) => /^d_[0-9a-f]+$/.test(name);

/** The parts of the author item's update that set a guard (and drop ended ones), with its condition. */
export function guardUpdate(guard: DuplicateGuard) {
  const nowSeconds = epochSeconds(guard.now);
  const own = guardAttribute(guard.digest);
  const ended = Object.entries(guard.seen ?? {}).filter(([name, value]) => isGuard(name) && name !== own && Number(value) <= nowSeconds);
  return {
    set: "#guard = :guardEnd",
    remove: ended.map((_, i) => `#ended${i}`),
    condition: ["(attribute_not_exists(#guard) OR #guard <= :guardNow)", ...ended.map((_, i) => `#ended${i} = :ended${i}`)].join(" AND "),
    names: { "#guard": own, ...Object.fromEntries(ended.map(([name], i) => [`#ended${i}`, name])) },
    values: {
      ":guardEnd": nowSeconds + guard.windowMinutes * 60,
      ":guardNow": nowSeconds,
      ...Object.fromEntries(ended.map(([, value], i) => [`:ended${i}`, value])),
    },
  };
}

/** True when the author item as it was holds a live guard of `digest`: the post is a duplicate. */
export const guardHolds = (item: Item | null, digest: string, now: Date) => Number(item?.[guardAttribute(digest)] ?? 0) > epochSeconds(now);
