/** How long and how hard the bench runs; every field can be set from the environment. */
export interface BenchConfig {
  /** Measured seconds per round (`BENCH_SECONDS`). */
  seconds: number;
  /** Rounds per scenario; the median round is reported (`BENCH_ROUNDS`). */
  rounds: number;
  /** Warm-up seconds before the measured rounds (`BENCH_WARMUP_SECONDS`). */
  warmupSeconds: number;
  /** Seconds of reads and posts before the first scenario, so the JIT of Node and of DynamoDB Local has run (`BENCH_STACK_WARMUP_SECONDS`). */
  stackWarmupSeconds: number;
  /** Concurrent HTTP connections (`BENCH_CONNECTIONS`). */
  connections: number;
  /** Comments per page, as the widget asks for them. */
  pageSize: number;
  /** Comments in the thread of scenarios 1 to 4 (`BENCH_THREAD_SIZE`). */
  threadSize: number;
  /** Thread sizes of the scale scenario (`BENCH_SCALE_SIZES`, comma-separated). */
  scaleSizes: number[];
  /** Other threads seeded next to the scale threads (`BENCH_THREADS`). */
  otherThreads: number;
  /** Comments in each of those other threads. */
  commentsPerOtherThread: number;
  /** Fresh processes timed for the cold start (`BENCH_COLD_STARTS`). */
  coldStarts: number;
  /** `npm start` runs timed to a healthy `/healthz`, for each of first, fresh and existing (`BENCH_STARTS`). */
  starts: number;
  /** Page loads timed in Chromium (`BENCH_PAGE_LOADS`). */
  pageLoads: number;
  /** Where the results go (`BENCH_OUT`). */
  out: string;
  /** Use this DynamoDB endpoint instead of starting DynamoDB Local (`DYNAMODB_ENDPOINT`). */
  dynamoEndpoint?: string;
}

const numberFrom = (value: string | undefined, fallback: number, name: string): number => {
  if (value === undefined || value.trim() === "") return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) throw new Error(`${name} must be a positive number, got "${value}"`);
  return parsed;
};

/** Defaults: about five minutes on two cores. */
export const defaultConfig: BenchConfig = {
  seconds: 3,
  rounds: 3,
  warmupSeconds: 1,
  stackWarmupSeconds: 6,
  connections: 20,
  pageSize: 50,
  threadSize: 200,
  scaleSizes: [200, 2000, 20000],
  otherThreads: 1000,
  commentsPerOtherThread: 5,
  coldStarts: 10,
  starts: 5,
  pageLoads: 5,
  out: "bench/results.json",
};

/** Reads the bench settings from environment variables, falling back to {@link defaultConfig}. */
export function configFromEnv(env: Record<string, string | undefined> = process.env): BenchConfig {
  const sizes = env.BENCH_SCALE_SIZES?.trim()
    ? env.BENCH_SCALE_SIZES.split(",").map((size) => Math.round(numberFrom(size, 0, "BENCH_SCALE_SIZES")))
    : defaultConfig.scaleSizes;
  return {
    ...defaultConfig,
    seconds: numberFrom(env.BENCH_SECONDS, defaultConfig.seconds, "BENCH_SECONDS"),
    rounds: Math.round(numberFrom(env.BENCH_ROUNDS, defaultConfig.rounds, "BENCH_ROUNDS")),
    warmupSeconds: numberFrom(env.BENCH_WARMUP_SECONDS, defaultConfig.warmupSeconds, "BENCH_WARMUP_SECONDS"),
    stackWarmupSeconds: numberFrom(env.BENCH_STACK_WARMUP_SECONDS, defaultConfig.stackWarmupSeconds, "BENCH_STACK_WARMUP_SECONDS"),
    connections: Math.round(numberFrom(env.BENCH_CONNECTIONS, defaultConfig.connections, "BENCH_CONNECTIONS")),
    threadSize: Math.round(numberFrom(env.BENCH_THREAD_SIZE, defaultConfig.threadSize, "BENCH_THREAD_SIZE")),
    scaleSizes: sizes,
    otherThreads: Math.round(numberFrom(env.BENCH_THREADS, defaultConfig.otherThreads, "BENCH_THREADS")),
    coldStarts: Math.round(numberFrom(env.BENCH_COLD_STARTS, defaultConfig.coldStarts, "BENCH_COLD_STARTS")),
    starts: Math.round(numberFrom(env.BENCH_STARTS, defaultConfig.starts, "BENCH_STARTS")),
    pageLoads: Math.round(numberFrom(env.BENCH_PAGE_LOADS, defaultConfig.pageLoads, "BENCH_PAGE_LOADS")),
    out: env.BENCH_OUT ?? defaultConfig.out,
    ...(env.DYNAMODB_ENDPOINT ? { dynamoEndpoint: env.DYNAMODB_ENDPOINT } : {}),
  };
}
