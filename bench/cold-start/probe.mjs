// Runs in a fresh Node process, like a Lambda cold start: imports the bundle, answers one event, reports
// the times. Plain JavaScript on purpose: no TypeScript loader may add to the time measured.
// Usage: node probe.mjs <bundle.mjs> '<event json>'
import { pathToFileURL } from "node:url";

const beforeImport = performance.now(); // ms since this process started
const { handler } = await import(pathToFileURL(process.argv[2]).href);
const imported = performance.now();
const response = await handler(JSON.parse(process.argv[3]), { awsRequestId: "bench", functionName: "api" });
const answered = performance.now();
// CPU time is far less disturbed than wall time when other processes share the machine.
const cpu = process.cpuUsage();
process.stdout.write(
  JSON.stringify({
    nodeStartMs: beforeImport,
    importMs: imported - beforeImport,
    firstEventMs: answered - imported,
    totalMs: answered,
    cpuMs: (cpu.user + cpu.system) / 1000,
    statusCode: response.statusCode,
  }),
);
process.exit(0);
