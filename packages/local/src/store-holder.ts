import { existsSync, readFileSync, readdirSync, readlinkSync } from "node:fs";
import { resolve, sep } from "node:path";

/** Another process with files of `dir` open (Linux: /proc), or null. The embedded store's files cannot be shared. */
export function processUsing(dir: string): { pid: number; command: string } | null {
  if (process.platform !== "linux" || !existsSync("/proc") || !existsSync(dir)) return null;
  const prefix = resolve(dir) + sep;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue; // gone, or not ours to look at
    }
    for (const fd of fds) {
      let target: string;
      try {
        target = readlinkSync(`/proc/${entry}/fd/${fd}`);
      } catch {
        continue;
      }
      if (target.startsWith(prefix)) {
        let command = "";
        try {
          command = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").filter(Boolean).slice(0, 3).join(" ");
        } catch {
          // the process ended meanwhile
        }
        return { pid: Number(entry), command };
      }
    }
  }
  return null;
}
