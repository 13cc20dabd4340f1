/** Minimal logger interface (console-compatible). */
export interface Logger {
  error(message: string, details?: Record<string, unknown>): void;
}

/** The one default logger: one JSON line per entry on stderr (CloudWatch and `npm start` alike). */
export const jsonLogger: Logger = {
  error: (message, details) => console.error(JSON.stringify({ level: "error", message, ...details })),
};
