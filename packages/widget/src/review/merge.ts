import type { ModItem } from "./api.ts";

/**
 * Merges per-site queues (each oldest first) into one list, oldest comment first, keeping each site's own
 * order (a flagged comment sits where its site's queue puts it).
 */
export function mergeQueues<T extends Pick<ModItem, "createdAt">>(queues: T[][]): T[] {
  const heads = queues.map(() => 0);
  const merged: T[] = [];
  for (;;) {
    let best = -1;
    queues.forEach((queue, index) => {
      const candidate = queue[heads[index]!];
      if (candidate && (best < 0 || candidate.createdAt < queues[best]![heads[best]!]!.createdAt)) best = index;
    });
    if (best < 0) return merged;
    merged.push(queues[best]![heads[best]!]!);
    heads[best]!++;
  }
}
