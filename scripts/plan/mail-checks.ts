import { grants, lambdaFor } from "./checks.ts";
import type { PlannedResource } from "./mocks.ts";
import type { StackPlan } from "./plan-stack.ts";

/**
 * Plan checks for mail on AWS (infra/mail.ts): the SES identity of the configured sender, sending granted on
 * that identity only, bounces and complaints published to an SNS topic that feeds the feedback handler, and
 * the schedule that runs the timer handler. Each returns the problems it finds; an empty list passes.
 */

type Inputs = Record<string, any>;
type Plan = Pick<StackPlan, "resources" | "builds" | "secretValues">;

const ofType = (plan: Pick<StackPlan, "resources">, type: string) => plan.resources.filter((resource) => resource.type === type);
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** A function's ARN as the plan's mocks write it (other resources name functions by ARN). */
const functionArn = (fn: PlannedResource) => new RegExp(`:function:${escape(String(fn.inputs.name))}$`);

/** The SES actions that send a mail; nothing else of SES is granted. */
export const sendActions = ["ses:SendEmail", "ses:SendRawEmail"];

/** The SES email identity planned for `address`, or undefined. */
export function mailIdentity(plan: Pick<StackPlan, "resources">, address: string): PlannedResource | undefined {
  return ofType(plan, "aws:sesv2/emailIdentity:EmailIdentity").find((identity) => identity.inputs.emailIdentity === address);
}

/**
 * The sender's identity exists, with a configuration set whose bounce and complaint events go to an SNS topic.
 * Returns the problems; the topic's ARN is what {@link feedbackTopicProblems} follows.
 */
export function mailIdentityProblems(plan: Plan, address: string): string[] {
  const identity = mailIdentity(plan, address);
  if (!identity) return [`no SES identity for the sender ${address}`];
  const setName = (identity.inputs as Inputs).configurationSetName;
  if (!setName) return [`${identity.name}: has no configuration set, so bounces and complaints go nowhere`];
  const topics = feedbackTopicArns(plan, String(setName));
  const problems: string[] = [];
  for (const type of ["BOUNCE", "COMPLAINT"]) {
    if (!topics.some((t) => t.types.includes(type))) problems.push(`${identity.name}: ${type.toLowerCase()} events of its configuration set reach no SNS topic`);
  }
  return problems;
}

/** SNS destinations of a configuration set's event destinations, with the event types each receives. */
function feedbackTopicArns(plan: Pick<StackPlan, "resources">, configurationSetName: string): { arn: string; types: string[] }[] {
  return ofType(plan, "aws:sesv2/configurationSetEventDestination:ConfigurationSetEventDestination")
    .map((destination) => destination.inputs as Inputs)
    .filter((i) => i.configurationSetName === configurationSetName && i.eventDestination?.enabled !== false && i.eventDestination?.snsDestination?.topicArn)
    .map((i) => ({ arn: String(i.eventDestination.snsDestination.topicArn), types: (i.eventDestination.matchingEventTypes ?? []) as string[] }));
}

/**
 * Every SES grant of every role: only the send actions, only on the sender's identity (and the configuration
 * set it names, which SES also authorizes a send against), never on `*` or another identity; and the
 * functions with `handlers` do have it.
 */
export function sesGrantProblems(plan: Plan, address: string, handlers: string[]): string[] {
  const identity = mailIdentity(plan, address);
  const setName = String((identity?.inputs as Inputs | undefined)?.configurationSetName ?? "");
  const allowed = [new RegExp(`^arn:aws:ses:[^:]+:\\d+:identity/${escape(address)}$`), new RegExp(`^arn:aws:ses:[^:]+:\\d+:configuration-set/${escape(setName)}$`)];
  const problems: string[] = [];
  for (const { role, statement } of grants(plan)) {
    const ses = statement.Action.filter((action) => action.startsWith("ses:"));
    for (const action of ses.filter((a) => !sendActions.includes(a))) problems.push(`${role}: grants ${action}; mail needs only ${sendActions.join(" and ")}`);
    if (ses.length === 0) continue;
    for (const resource of statement.Resource) {
      if (!allowed.some((pattern) => pattern.test(resource))) problems.push(`${role}: grants ${ses.join(", ")} on ${resource}, not the sender's identity ${address}`);
    }
  }
  for (const handler of handlers) {
    const fn = lambdaFor(plan, handler);
    if (!fn) {
      problems.push(`no Lambda function with handler ${handler}`);
      continue;
    }
    const roleName = String((fn.resource.inputs as Inputs).role ?? "").split("/").pop();
    const role = plan.resources.find((r) => r.type === "aws:iam/role:Role" && r.inputs.name === roleName);
    const actions = grants(plan).filter((g) => g.role === role?.name && g.statement.Resource.some((r) => allowed[0]!.test(r))).flatMap((g) => g.statement.Action);
    for (const action of sendActions) if (!actions.includes(action)) problems.push(`${fn.resource.name}: may not ${action} from ${address}`);
  }
  return [...new Set(problems)];
}

/** The topic the sender's bounces and complaints go to is subscribed by the function with `handler`, which SNS may invoke. */
export function feedbackTopicProblems(plan: Plan, address: string, handler: string): string[] {
  const fn = lambdaFor(plan, handler);
  if (!fn) return [`no Lambda function with handler ${handler}`];
  const setName = String((mailIdentity(plan, address)?.inputs as Inputs | undefined)?.configurationSetName ?? "");
  const topics = feedbackTopicArns(plan, setName).map((t) => t.arn);
  if (topics.length === 0) return [`no SNS topic receives the bounces and complaints of ${address}`];
  const subscribed = ofType(plan, "aws:sns/topicSubscription:TopicSubscription")
    .map((s) => s.inputs as Inputs)
    .some((s) => s.protocol === "lambda" && topics.includes(String(s.topic)) && functionArn(fn.resource).test(String(s.endpoint)));
  const problems: string[] = [];
  if (!subscribed) problems.push(`${fn.resource.name}: not subscribed to the SES feedback topic`);
  if (!invokablePrincipals(plan, fn.resource).includes("sns.amazonaws.com")) problems.push(`${fn.resource.name}: SNS may not invoke it`);
  return problems;
}

/** A schedule (an EventBridge rule with a schedule expression) targets the function with `handler`, which EventBridge may invoke. */
export function scheduleProblems(plan: Plan, handler: string): string[] {
  const fn = lambdaFor(plan, handler);
  if (!fn) return [`no Lambda function with handler ${handler}`];
  const scheduled = new Set(
    ofType(plan, "aws:cloudwatch/eventRule:EventRule")
      .filter((rule) => rule.inputs.scheduleExpression && rule.inputs.state !== "DISABLED")
      .map((rule) => String(rule.inputs.name)),
  );
  const targeted = ofType(plan, "aws:cloudwatch/eventTarget:EventTarget").some((t) => scheduled.has(String(t.inputs.rule)) && functionArn(fn.resource).test(String(t.inputs.arn)));
  const problems: string[] = [];
  if (!targeted) problems.push(`${fn.resource.name}: no enabled schedule runs it`);
  if (!invokablePrincipals(plan, fn.resource).includes("events.amazonaws.com")) problems.push(`${fn.resource.name}: EventBridge may not invoke it`);
  return problems;
}

/** The services a Lambda permission lets invoke `fn`. */
function invokablePrincipals(plan: Pick<StackPlan, "resources">, fn: PlannedResource): string[] {
  return ofType(plan, "aws:lambda/permission:Permission")
    .map((p) => p.inputs as Inputs)
    .filter((p) => p.action === "lambda:InvokeFunction" && (p.function === fn.inputs.name || functionArn(fn).test(String(p.function))))
    .map((p) => String(p.principal));
}

/** The schedule expression of the rule that targets the function with `handler` (for the readable plan and tests). */
export function scheduleOf(plan: Plan, handler: string): string | undefined {
  const fn = lambdaFor(plan, handler);
  if (!fn) return undefined;
  const target = ofType(plan, "aws:cloudwatch/eventTarget:EventTarget").find((t) => functionArn(fn.resource).test(String(t.inputs.arn)));
  return ofType(plan, "aws:cloudwatch/eventRule:EventRule").find((rule) => rule.inputs.name === target?.inputs.rule)?.inputs.scheduleExpression as string | undefined;
}
