import { spawnSync } from "node:child_process";
import { chromiumMissingMessage, findChromium } from "./chromium.ts";

/** One line naming Java and how to install it, or null when `java` runs. */
export function javaMissingMessage(): string | null {
  const result = spawnSync("java", ["-version"], { stdio: "ignore" });
  if (result.status === 0) return null;
  const install =
    process.platform === "darwin"
      ? "brew install openjdk@17"
      : "sudo apt-get install openjdk-17-jre-headless (Debian/Ubuntu)";
  return `Java 17+ is needed for DynamoDB Local (the test store) and was not found on PATH: ${install}.`;
}

/**
 * What the suite needs from the machine, checked before any test starts: Java (DynamoDB Local) and a
 * Chromium or Chrome (browser tests). Each missing part is one line with its install command.
 */
export function preflightProblems(): string[] {
  const problems: string[] = [];
  const java = javaMissingMessage();
  if (java) problems.push(java);
  if (!findChromium()) problems.push(chromiumMissingMessage());
  return problems;
}
