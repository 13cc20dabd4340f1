import type { BenchConfig } from "../config.ts";
import type { BenchEnvironment } from "../support/environment.ts";
import type { LoadGenerator } from "../support/load.ts";

/** What every scenario gets: the settings, the running service and the load generator. */
export interface ScenarioContext {
  config: BenchConfig;
  env: BenchEnvironment;
  load: LoadGenerator;
  /** Progress lines (stderr), so stdout carries only the table. */
  log: (line: string) => void;
}
