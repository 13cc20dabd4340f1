/**
 * Command line for imports, exports and readers' data requests: `npm run import`, `npm run export`,
 * `npm run data` (see `usage` in commands.ts). Exit code 0 done, 1 failed, 2 wrong usage.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const { runCli } = await import("./commands.ts");

// Output cut short by a closed pipe (`| head`) is not an error of ours.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});

process.exitCode = await runCli(process.argv.slice(2), { env: process.env, stdout: process.stdout, stderr: process.stderr });
export {};
