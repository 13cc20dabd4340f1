/**
 * `npm run bench`: starts DynamoDB Local and the local server on free ports, runs every scenario, stops
 * everything, writes bench/results.json and prints the Markdown tables. Settings: see bench/config.ts
 * (BENCH_SECONDS, BENCH_ROUNDS, BENCH_CONNECTIONS, …).
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const { configFromEnv } = await import("./config.ts");
const { runBench, writeResults } = await import("./bench.ts");
const { renderTables } = await import("./table.ts");

const config = configFromEnv();
const started = Date.now();
const log = (line: string) => console.error(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${line}`);
const results = await runBench(config, log);
writeResults(results, config.out);
log(`wrote ${config.out}`);
console.log(renderTables(results));
export {};
