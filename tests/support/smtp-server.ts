import { SMTPServer } from "smtp-server";
import { simpleParser, type ParsedMail } from "mailparser";

/** One mail as the SMTP server received it: the envelope, the raw bytes and the parsed message. */
export interface ReceivedMail {
  envelope: { from: string | null; to: string[] };
  raw: string;
  parsed: ParsedMail;
}

/** How the server answers a mail: accept it, or refuse it with an SMTP code (4xx: try later, 5xx: never). */
export type SmtpAnswer = { accept: true } | { accept: false; code: number; message: string };

/** A real SMTP server on 127.0.0.1 (free port) that keeps what it receives. */
export interface TestSmtpServer {
  url: string;
  mails: ReceivedMail[];
  /** Every refused delivery, in order (code and recipient). */
  refusals: Array<{ code: number; to: string[] }>;
  /** Resolves once `count` mails have arrived. */
  received(count: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
}

/**
 * Starts an SMTP server (the `smtp-server` package) that parses every mail with `mailparser`. `answer` gets
 * each delivery's recipients and its 0-based index and decides whether it is accepted.
 * @example const smtp = await startSmtpServer(); const mailer = smtpMailer({ url: smtp.url });
 */
export async function startSmtpServer(answer: (to: string[], index: number) => SmtpAnswer = () => ({ accept: true })): Promise<TestSmtpServer> {
  const mails: ReceivedMail[] = [];
  const refusals: TestSmtpServer["refusals"] = [];
  const waiters: Array<{ count: number; done: (mails: ReceivedMail[]) => void }> = [];
  let deliveries = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const to = session.envelope.rcptTo.map((address) => address.address);
        const decision = answer(to, deliveries++);
        if (!decision.accept) {
          refusals.push({ code: decision.code, to });
          callback(Object.assign(new Error(decision.message), { responseCode: decision.code }));
          return;
        }
        const raw = Buffer.concat(chunks).toString("utf8");
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : null;
        void simpleParser(raw).then((parsed) => {
          mails.push({ envelope: { from, to }, raw, parsed });
          for (const waiter of [...waiters]) {
            if (mails.length >= waiter.count) {
              waiters.splice(waiters.indexOf(waiter), 1);
              waiter.done(mails.slice());
            }
          }
          callback();
        }, callback);
      });
    },
  });
  await new Promise<void>((done, fail) => {
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => done());
  });
  const port = (server.server.address() as { port: number }).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    refusals,
    received(count) {
      if (mails.length >= count) return Promise.resolve(mails.slice());
      return new Promise((done) => waiters.push({ count, done }));
    },
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
