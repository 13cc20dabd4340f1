import { beforeAll, describe, expect, it } from "vitest";
import { notSetOnMailFunctions } from "../infra/function-environment.ts";
import { mailSender, mailStreamItemTypes } from "../infra/mail-sender.ts";
import { builtHandlerProblems, codeZipProblems, environmentProblems, eventSources, grants, iamProblems, lambdaFor, secretProblems, sourceFacts, streamActions, streamConsumerProblems, tableAccessProblems, type SourceFacts } from "../scripts/plan/checks.ts";
import { feedbackTopicProblems, mailIdentityProblems, scheduleOf, scheduleProblems, sesGrantProblems } from "../scripts/plan/mail-checks.ts";
import { mailHandlers, plannedFunctions, planMailFrom } from "../scripts/plan/plan-problems.ts";
import type { StackPlan } from "../scripts/plan/plan-stack.ts";
import { currentPlan, root } from "./support/deploy-plan.ts";

/**
 * Mail in the deploy plan (infra/mail.ts): the sender's SES identity, the stream consumer, the schedule, the
 * SES feedback topic, sending only from the sender, and every variable the mail code reads. Each rule is also
 * checked on a broken copy of the plan, so a rule that could never fail is caught.
 */

let plan: StackPlan;
let mail: SourceFacts;
const sender = mailSender({ MAIL_FROM: planMailFrom });

beforeAll(async () => {
  plan = await currentPlan();
  mail = await sourceFacts(root, plannedFunctions.mailStream.source);
  // Generous: a fresh plan loads SST's platform and the AWS provider, minutes on a busy machine.
}, 900_000);

const copy = (): StackPlan => structuredClone(plan);
const ofType = (p: StackPlan, type: string) => p.resources.filter((r) => r.type === type);
const fnOf = (p: StackPlan, handler: string) => lambdaFor(p, handler)!.resource;
const variables = (p: StackPlan, handler: string) => (fnOf(p, handler).inputs as any).environment.variables as Record<string, string>;
const roleOf = (p: StackPlan, handler: string) => p.resources.find((r) => r.type === "aws:iam/role:Role" && r.inputs.name === String(fnOf(p, handler).inputs.role).split("/").pop())!;

describe("the sender's SES identity", () => {
  it("is the address of MAIL_FROM, and its bounces and complaints go to an SNS topic", () => {
    expect(sender.address).toBe("comments@news.example");
    expect(mailIdentityProblems(plan, sender.address)).toEqual([]);
    const [identity] = ofType(plan, "aws:sesv2/emailIdentity:EmailIdentity");
    expect(identity!.inputs).toMatchObject({ emailIdentity: "comments@news.example" });
    const [destination] = ofType(plan, "aws:sesv2/configurationSetEventDestination:ConfigurationSetEventDestination");
    expect((destination!.inputs as any).eventDestination).toMatchObject({ matchingEventTypes: ["BOUNCE", "COMPLAINT"], snsDestination: { topicArn: expect.stringMatching(/^arn:aws:sns:/) } });
  });

  it("is reported missing for another sender, or when complaints reach no topic", () => {
    expect(mailIdentityProblems(plan, "news@elsewhere.example")).toEqual(["no SES identity for the sender news@elsewhere.example"]);
    const deaf = copy();
    const destination = ofType(deaf, "aws:sesv2/configurationSetEventDestination:ConfigurationSetEventDestination")[0]!;
    (destination.inputs as any).eventDestination.matchingEventTypes = ["BOUNCE"];
    expect(mailIdentityProblems(deaf, sender.address)).toEqual(["MailSenderIdentity: complaint events of its configuration set reach no SNS topic"]);
  });

  it("refuses a deploy without a usable MAIL_FROM, naming the variable", () => {
    expect(() => mailSender({})).toThrow(/^MAIL_FROM is not set/);
    expect(() => mailSender({ MAIL_FROM: "comments at news" })).toThrow(/^MAIL_FROM=comments at news must be an address/);
    expect(mailSender({ MAIL_FROM: "desk@news.example" })).toEqual({ from: "desk@news.example", address: "desk@news.example" });
  });
});

describe("the mail functions", () => {
  it("run the stream, timer and feedback handlers their one bundle exports, with the sites file shipped", async () => {
    for (const handler of mailHandlers) {
      expect(fnOf(plan, handler).inputs).toMatchObject({ runtime: "nodejs22.x", architectures: ["arm64"], handler });
      expect(await builtHandlerProblems(plan, root, handler)).toEqual([]);
      expect(codeZipProblems(plan, root, handler)).toEqual([]);
    }
  });

  it("get every variable the mail code reads: the sender, the configuration set, the public URL; secrets only through links", () => {
    expect(mail.envReads).toEqual(expect.arrayContaining(["MAIL_FROM", "MAIL_CONFIGURATION_SET", "PUBLIC_URL", "SITES_FILE"]));
    expect(mail.resourceReads).toEqual(["CommentTable", "IpHashKey"]);
    for (const handler of mailHandlers) {
      expect(environmentProblems(plan, handler, mail, notSetOnMailFunctions)).toEqual([]);
      expect(variables(plan, handler)).toMatchObject({
        MAIL_FROM: planMailFrom,
        MAIL_CONFIGURATION_SET: (ofType(plan, "aws:sesv2/emailIdentity:EmailIdentity")[0]!.inputs as any).configurationSetName,
        PUBLIC_URL: expect.stringMatching(/^https:\/\/[a-z0-9]+\.cloudfront\.net$/),
      });
      expect(lambdaFor(plan, handler)!.build?.links).toEqual(["CommentTable", "IpHashKey"]);
    }
    expect(secretProblems(plan)).toEqual([]);
  });

  it("are reported when a variable the mail code reads is missing", () => {
    const missing = copy();
    delete variables(missing, plannedFunctions.mailTimer.handler).PUBLIC_URL;
    expect(environmentProblems(missing, plannedFunctions.mailTimer.handler, mail, notSetOnMailFunctions)).toEqual([
      `${fnOf(plan, plannedFunctions.mailTimer.handler).name}: the code reads PUBLIC_URL but the function's environment does not set it`,
    ]);
  });

  it("reach the table with exactly the DynamoDB actions their code sends", () => {
    // The stream consumer's role also lets Lambda's poller read the stream.
    for (const handler of mailHandlers) expect(tableAccessProblems(plan, handler, mail, handler === plannedFunctions.mailStream.handler ? streamActions : [])).toEqual([]);
    expect(iamProblems(plan)).toEqual([]);
  });
});

describe("the table stream", () => {
  it("feeds the mail function comment and subscription writes only, with stream read rights", () => {
    expect(streamConsumerProblems(plan, plannedFunctions.mailStream.handler, JSON.stringify(mailStreamItemTypes))).toEqual([]);
    const streams = eventSources(plan).filter((source) => source.source.includes("/stream/"));
    expect(streams).toHaveLength(2);
    expect(streams.find((s) => s.functionName.endsWith(String(fnOf(plan, plannedFunctions.mailStream.handler).inputs.name)))!.filters).toEqual([
      JSON.stringify({ dynamodb: { NewImage: { type: { S: ["comment", "subscription"] } } } }),
    ]);
  });

  it("is reported when the mail function is not subscribed", () => {
    const unwired = copy();
    const name = String(fnOf(unwired, plannedFunctions.mailStream.handler).inputs.name);
    unwired.resources = unwired.resources.filter((r) => !(r.type === "aws:lambda/eventSourceMapping:EventSourceMapping" && String(r.inputs.functionName).endsWith(name)));
    expect(streamConsumerProblems(unwired, plannedFunctions.mailStream.handler, JSON.stringify(mailStreamItemTypes))).toEqual([
      `${fnOf(plan, plannedFunctions.mailStream.handler).name}: not subscribed to the table's stream`,
    ]);
  });
});

describe("the schedule", () => {
  it("runs the timer handler every five minutes, and EventBridge may invoke it", () => {
    expect(scheduleProblems(plan, plannedFunctions.mailTimer.handler)).toEqual([]);
    expect(scheduleOf(plan, plannedFunctions.mailTimer.handler)).toBe("rate(5 minutes)");
    // Only the timer is scheduled: the stream and feedback handlers are not.
    expect(scheduleProblems(plan, plannedFunctions.mailStream.handler)).toContain(`${fnOf(plan, plannedFunctions.mailStream.handler).name}: no enabled schedule runs it`);
  });

  it("is reported when disabled or aimed at another function", () => {
    const off = copy();
    ofType(off, "aws:cloudwatch/eventRule:EventRule")[0]!.inputs.state = "DISABLED";
    expect(scheduleProblems(off, plannedFunctions.mailTimer.handler)).toEqual([`${fnOf(plan, plannedFunctions.mailTimer.handler).name}: no enabled schedule runs it`]);
    const elsewhere = copy();
    ofType(elsewhere, "aws:cloudwatch/eventTarget:EventTarget")[0]!.inputs.arn = `arn:aws:lambda:us-east-1:123456789012:function:${String(fnOf(elsewhere, plannedFunctions.mailStream.handler).inputs.name)}`;
    expect(scheduleProblems(elsewhere, plannedFunctions.mailTimer.handler)).toEqual([`${fnOf(plan, plannedFunctions.mailTimer.handler).name}: no enabled schedule runs it`]);
  });
});

describe("SES feedback", () => {
  it("reaches the feedback handler through the SNS topic the configuration set publishes to, and SNS may invoke it", () => {
    expect(feedbackTopicProblems(plan, sender.address, plannedFunctions.mailFeedback.handler)).toEqual([]);
    const [subscription] = ofType(plan, "aws:sns/topicSubscription:TopicSubscription");
    expect(subscription!.inputs).toMatchObject({ protocol: "lambda", topic: expect.stringContaining("MailFeedbackTopic") });
  });

  it("is reported when the topic feeds another function", () => {
    const miswired = copy();
    const subscription = ofType(miswired, "aws:sns/topicSubscription:TopicSubscription")[0]!;
    subscription.inputs.endpoint = `arn:aws:lambda:us-east-1:123456789012:function:${String(fnOf(miswired, plannedFunctions.mailTimer.handler).inputs.name)}`;
    expect(feedbackTopicProblems(miswired, sender.address, plannedFunctions.mailFeedback.handler)).toEqual([
      `${fnOf(plan, plannedFunctions.mailFeedback.handler).name}: not subscribed to the SES feedback topic`,
    ]);
  });
});

describe("SES permissions", () => {
  it("allow only SendEmail and SendRawEmail, only on the sender's identity and its configuration set, to the mail functions only", () => {
    expect(sesGrantProblems(plan, sender.address, mailHandlers)).toEqual([]);
    const ses = grants(plan).filter((g) => g.statement.Action.some((a) => a.startsWith("ses:")));
    expect(ses.map((g) => g.role).sort()).toEqual(mailHandlers.map((h) => roleOf(plan, h).name).sort());
    for (const { statement } of ses) {
      expect(statement.Action).toEqual(["ses:SendEmail", "ses:SendRawEmail"]);
      expect(statement.Resource).toEqual([
        "arn:aws:ses:us-east-1:123456789012:identity/comments@news.example",
        expect.stringMatching(/^arn:aws:ses:us-east-1:123456789012:configuration-set\/comments-production-mailsenderconfig-/),
      ]);
    }
  });

  it("are reported when wider (ses:*, every resource, another identity) or missing", () => {
    const wide = copy();
    const role = roleOf(wide, plannedFunctions.mailStream.handler).inputs as Record<string, any>;
    const policy = JSON.parse(role.inlinePolicies[0].policy);
    const statement = policy.Statement.find((s: any) => [s.Action].flat().includes("ses:SendEmail"));
    statement.Action = ["ses:*"];
    statement.Resource = ["*", "arn:aws:ses:us-east-1:123456789012:identity/ceo@news.example"];
    role.inlinePolicies[0].policy = JSON.stringify(policy);
    const name = roleOf(plan, plannedFunctions.mailStream.handler).name;
    expect(sesGrantProblems(wide, sender.address, mailHandlers)).toEqual([
      `${name}: grants ses:*; mail needs only ses:SendEmail and ses:SendRawEmail`,
      `${name}: grants ses:* on *, not the sender's identity comments@news.example`,
      `${name}: grants ses:* on arn:aws:ses:us-east-1:123456789012:identity/ceo@news.example, not the sender's identity comments@news.example`,
      `${fnOf(plan, plannedFunctions.mailStream.handler).name}: may not ses:SendEmail from comments@news.example`,
      `${fnOf(plan, plannedFunctions.mailStream.handler).name}: may not ses:SendRawEmail from comments@news.example`,
    ]);
    expect(iamProblems(wide)).toEqual(expect.arrayContaining([`${name}: grants the wildcard action ses:*`, `${name}: grants ses:* on every resource (*)`]));
  });
});
