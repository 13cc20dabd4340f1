import { describe, expect, it } from "vitest";
import { renderBody } from "../../src/render.ts";
import { linkCountPhase } from "../../src/pipeline/index.ts";
import { phaseContext } from "./context.ts";

describe("link count phase", () => {
  it("queues a comment with more links than maxLinks, counted in the rendered HTML", () => {
    const three = "https://a.example https://b.example https://c.example";
    expect(linkCountPhase(phaseContext({ body: three, bodyHtml: renderBody(three) }))).toEqual({ status: "pending", reason: "too_many_links", detail: "3 links (more than 2)" });
    const two = "https://a.example https://b.example";
    expect(linkCountPhase(phaseContext({ body: two, bodyHtml: renderBody(two) }))).toBeUndefined();
  });
});
