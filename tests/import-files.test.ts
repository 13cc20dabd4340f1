import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import iconv from "iconv-lite";
import { afterAll, describe, expect, it } from "vitest";
import type { PublicComment } from "@comments/core";
import { createHasher } from "@comments/api";
import { exportSite, importComments, readSource, runCli } from "@comments/migrate";
import { createClients } from "@comments/store";
import { commentBy, dynamoEndpoint, freshStore, readThreadPage, testApp, testIpHashKey } from "./support/harness.ts";
import { checkStoredComments } from "./support/stored-invariants.ts";

const fixtures = fileURLToPath(new URL("./fixtures/import/", import.meta.url));
const hasher = createHasher(testIpHashKey);
const dir = mkdtempSync(join(tmpdir(), "comments-files-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Fresh = Awaited<ReturnType<typeof freshStore>>;

/** A command line run in this process, output captured. */
async function cli(args: string[], env: Record<string, string>) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, {
    env,
    stdout: Object.assign(new PassThrough(), { write: (text: string) => ((stdout += text), true) }),
    stderr: { write: (text: string) => (stderr += text) },
  });
  return { code, stdout, stderr };
}

/** An import into a table that does not exist yet: `import` creates it, so if it still does not exist afterwards, the store was never used. */
async function importIntoNoTable(format: string, file: string) {
  const tableName = `untouched-${Math.random().toString(36).slice(2)}`;
  const result = await cli(["import", format, "--site", "demo", file], { DYNAMODB_ENDPOINT: dynamoEndpoint(), TABLE_NAME: tableName, IP_HASH_KEY: testIpHashKey });
  const { client } = createClients({ endpoint: dynamoEndpoint() });
  const tableCreated = await client.send(new DescribeTableCommand({ TableName: tableName })).then(
    () => true,
    (error: { name?: string }) => (error.name === "ResourceNotFoundException" ? false : Promise.reject(error)),
  );
  client.destroy();
  return { ...result, tableCreated };
}

const byBody = (comments: PublicComment[], text: string) => {
  const found = comments.find((c) => c.bodyHtml.includes(text));
  if (!found) throw new Error(`no comment saying ${text}`);
  return found;
};

async function importFile(fresh: Fresh, format: "wordpress" | "disqus" | "json", file: string) {
  return importComments(readSource(format, file), { store: fresh.store, siteId: "demo", hasher });
}

describe("exports written by other projects", () => {
  it("imports the WordPress importer's own test exports (WXR 1.1 and 1.2), one comment each under the post's permalink", async () => {
    const fresh = await freshStore();
    const { app } = await testApp({ store: fresh.store });
    for (const name of ["valid-wxr-1.1.xml", "small-export.xml", "test-serialized-comment-meta.xml"]) {
      const summary = await importFile(fresh, "wordpress", join(fixtures, "wordpress-importer", name));
      expect(summary.imported, name).toEqual({ published: 1, pending: 0, rejected: 0, spam: 0 });
      expect(summary.skipped, name).toEqual({});
    }
    const hello = await readThreadPage(app, "/?p=1");
    expect(hello.thread.commentCount).toBe(2); // the same welcome comment in two exports of two different blogs
    const [first] = hello.comments;
    expect(first?.author).toMatchObject({ name: "Mr WordPress", url: "http://wordpress.org/" });
    expect(first?.bodyHtml).toBe("<p>Hi, this is a comment.<br>\nTo delete a comment, just log in and view the post's comments. There you will have the option to edit or delete them.</p>");

    const meta = await readThreadPage(app, "/comment-meta");
    expect(meta.comments).toHaveLength(1);
    expect(meta.comments[0]?.createdAt).toBe("2020-01-05T12:50:15.000Z");
    expect(meta.comments[0]?.bodyHtml).toContain('<a href="https://gravatar.com" rel="nofollow ugc noopener noreferrer" target="_blank">Gravatar</a>');
    expect((await checkStoredComments(fresh.clients.documentClient, fresh.tableName)).problems).toEqual([]);
  });

  it("refuses the WordPress importer's malformed export with the line of the problem, before the store starts", async () => {
    const file = join(fixtures, "wordpress-importer", "malformed-simple.xml");
    const result = await importIntoNoTable("wordpress", file);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Error: Not well-formed XML: ${file}:14:0: unclosed tag: item`);
    expect(result.tableCreated).toBe(false);
  });

  it("imports Isso's Disqus test export: replies linked, a reply to a deleted post at the top, a post of a missing thread skipped", async () => {
    const fresh = await freshStore();
    const { app } = await testApp({ store: fresh.store });
    const summary = await importFile(fresh, "disqus", join(fixtures, "isso", "disqus.xml"));
    expect(summary).toEqual({
      threads: 2,
      imported: { published: 4, pending: 0, rejected: 0, spam: 0 },
      alreadyPresent: 0,
      skipped: { "unknown thread": 1, deleted: 1 },
      orphanedReplies: 1,
    });
    const page = await readThreadPage(app, "some-id");
    expect(page.thread.commentCount).toBe(3);
    const peter = commentBy(page.comments, "peter");
    const replies = page.comments.filter((c) => c.author.name === "user");
    expect(replies.map((c) => c.parentId).sort()).toEqual([peter.id, null].sort());
    // A thread without disqus_identifier is known by its link's path.
    const untitled = await readThreadPage(app, "/blog/2013/02/12/redacted/index.html");
    expect(untitled.comments.map((c) => c.bodyHtml)).toEqual(["<p>Message from thread with empty title and id</p>"]);

    const again = await importFile(fresh, "disqus", join(fixtures, "isso", "disqus.xml"));
    expect(again.alreadyPresent).toBe(4);
    expect(again.imported).toEqual({ published: 0, pending: 0, rejected: 0, spam: 0 });
  });

  it("imports Isso's WordPress test export: nested replies, multi-line comments, ?p= permalinks", async () => {
    const fresh = await freshStore();
    const { app } = await testApp({ store: fresh.store });
    const summary = await importFile(fresh, "wordpress", join(fixtures, "isso", "wordpress.xml"));
    expect(summary.imported).toEqual({ published: 8, pending: 0, rejected: 0, spam: 0 });
    const page = await readThreadPage(app, "/2014/test/");
    expect(page.thread.commentCount).toBe(7);
    const second = byBody(page.comments, "Zweiter.");
    const eleventh = byBody(page.comments, "Drölfter!");
    expect(eleventh.parentId).toBe(second.id);
    expect(byBody(page.comments, "Yet another reply.").parentId).toBe(eleventh.id);
    expect(byBody(page.comments, "When you have a comment with multiple lines:").bodyHtml).toBe(
      "<p>When you have a comment with multiple lines:<br>\nWordPress exports it like this.</p>",
    );
    expect(byBody(page.comments, "Drölfter!").createdAt).toBe("2014-04-29T15:21:35.000Z");
    expect((await readThreadPage(app, "/?p=4")).thread.commentCount).toBe(1);
    expect((await checkStoredComments(fresh.clients.documentClient, fresh.tableName)).problems).toEqual([]);
  });
});

/** A one-comment WordPress export, as text (to be encoded by the test). */
function wxr(declaration: string, link: string, author: string, body: string): string {
  return `<?xml version="1.0" ${declaration}?>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
	<link>https://old.example</link>
	<item>
		<link>${link}</link>
		<wp:comment>
			<wp:comment_id>1</wp:comment_id>
			<wp:comment_author><![CDATA[${author}]]></wp:comment_author>
			<wp:comment_date_gmt>2009-05-01 10:00:00</wp:comment_date_gmt>
			<wp:comment_content><![CDATA[${body}]]></wp:comment_content>
			<wp:comment_approved>1</wp:comment_approved>
		</wp:comment>
	</item>
</channel>
</rss>
`;
}

describe("encodings", () => {
  it("honours the encoding the XML declaration names: Latin-1 (read as Windows-1252, as browsers do), Windows-1251, EUC-JP, GBK", async () => {
    const fresh = await freshStore();
    const { app } = await testApp({ store: fresh.store });
    const cases = [
      { label: "ISO-8859-1", bytes: "windows-1252", author: "José Müller", body: "Ça coûte 5 € — “vraiment” ?" },
      { label: "windows-1252", bytes: "windows-1252", author: "Zoë Ærø", body: "Naïve café… ‘quoted’" },
      { label: "windows-1251", bytes: "windows-1251", author: "Иван Петров", body: "Привет, мир! Ёлка." },
      { label: "EUC-JP", bytes: "euc-jp", author: "山田太郎", body: "日本語のコメントです。" },
      { label: "GBK", bytes: "gbk", author: "王小明", body: "这是一条中文评论。" },
    ];
    for (const [index, { label, bytes, author, body }] of cases.entries()) {
      const file = join(dir, `legacy-${index}.xml`);
      writeFileSync(file, iconv.encode(wxr(`encoding="${label}"`, `https://old.example/${index}/`, author, body), bytes));
      const summary = await importFile(fresh, "wordpress", file);
      expect(summary.imported.published, label).toBe(1);
      const [comment] = (await readThreadPage(app, `/${index}/`)).comments;
      expect(comment?.author.name, label).toBe(author);
      expect(comment?.bodyHtml, label).toBe(`<p>${body}</p>`);
    }
  });

  it("reads UTF-16 with a byte order mark", async () => {
    const fresh = await freshStore();
    const { app } = await testApp({ store: fresh.store });
    const file = join(dir, "utf16.xml");
    writeFileSync(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(wxr('encoding="UTF-16"', "https://old.example/utf16/", "Łukasz", "Zażółć gęślą jaźń"), "utf16le")]));
    await importFile(fresh, "wordpress", file);
    const [comment] = (await readThreadPage(app, "/utf16/")).comments;
    expect(comment?.author.name).toBe("Łukasz");
    expect(comment?.bodyHtml).toBe("<p>Zażółć gęślą jaźń</p>");
  });

  it("refuses an encoding it cannot decode, naming it and saying how to convert the file, before the store starts", async () => {
    const file = join(dir, "klingon.xml");
    writeFileSync(file, wxr('encoding="x-klingon"', "https://old.example/k/", "Worf", "Qapla'"));
    const result = await importIntoNoTable("wordpress", file);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Error: ${file} declares the encoding "x-klingon", which cannot be read here.`);
    expect(result.stderr).toContain("iconv -f x-klingon -t UTF-8");
    expect(result.tableCreated).toBe(false);
  });

  it("refuses Latin-1 bytes in a file that declares no encoding (UTF-8) instead of importing them mangled", async () => {
    const file = join(dir, "undeclared-latin1.xml");
    const text = wxr("", "https://old.example/l/", "José Müller", "Olé");
    writeFileSync(file, Buffer.from(text, "latin1"));
    const result = await importIntoNoTable("wordpress", file);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Error: ${file} is not valid UTF-8: byte ${Buffer.from(text, "latin1").indexOf(0xe9)} is 0xE9.`);
    expect(result.stderr).toContain("declares no encoding, which means UTF-8");
    expect(result.stderr).toContain('encoding="windows-1252"');
    expect(result.tableCreated).toBe(false);
  });
});

describe("compressed files", () => {
  it("imports a gzipped Disqus export (.xml.gz) exactly like the plain one, whatever the file is called", async () => {
    const plain = readFileSync(join(fixtures, "disqus.xml"));
    const gz = join(dir, "export.xml.gz");
    writeFileSync(gz, gzipSync(plain));
    const fresh = await freshStore();
    const result = await cli(["import", "disqus", "--site", "demo", gz], { DYNAMODB_ENDPOINT: dynamoEndpoint(), TABLE_NAME: fresh.tableName, IP_HASH_KEY: testIpHashKey });
    expect(result.stderr).not.toContain("Error");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("comments imported: 10 (published 8, pending 1, spam 1)");

    // Recognised by its content: a gzip file named .xml reads the same.
    const misnamed = join(dir, "export-really-gzip.xml");
    writeFileSync(misnamed, gzipSync(plain));
    const other = await freshStore();
    const [fromGzip, fromPlain] = [await importFile(other, "disqus", misnamed), await importComments(readSource("disqus", join(fixtures, "disqus.xml")), { siteId: "demo", hasher, dryRun: true })];
    expect(fromGzip).toEqual(fromPlain);
  });

  it("reads our own JSON export gzipped, and saved as UTF-16 with a byte order mark (as Windows PowerShell writes it)", async () => {
    const source = await freshStore();
    await importFile(source, "disqus", join(fixtures, "disqus.xml"));
    let text = "";
    await exportSite({ store: source.store, siteId: "demo", write: (chunk) => void (text += chunk) });
    const gz = join(dir, "site.json.gz");
    writeFileSync(gz, gzipSync(text));
    const utf16 = join(dir, "site-utf16.json");
    writeFileSync(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]));
    for (const file of [gz, utf16]) {
      const target = await freshStore();
      const summary = await importFile(target, "json", file);
      expect(summary.imported, file).toEqual({ published: 8, pending: 1, rejected: 0, spam: 1 });
      expect((await checkStoredComments(target.clients.documentClient, target.tableName)).problems).toEqual([]);
    }
  });

  it("names a compression it cannot read, and a gzip file that is cut off, before the store starts", async () => {
    const plain = readFileSync(join(fixtures, "disqus.xml"));
    const bzip2 = join(dir, "export.xml.bz2");
    writeFileSync(bzip2, Buffer.concat([Buffer.from("BZh91AY&SY"), plain.subarray(0, 64)]));
    const refusedBzip2 = await importIntoNoTable("disqus", bzip2);
    expect(refusedBzip2.code).toBe(1);
    expect(refusedBzip2.stderr).toContain(`Error: ${bzip2} is compressed with bzip2, which cannot be read here: decompress it first (for example \`bunzip2 -k ${bzip2}\`)`);
    expect(refusedBzip2.tableCreated).toBe(false);

    const zip = join(dir, "export.zip");
    writeFileSync(zip, Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), plain.subarray(0, 64)]));
    expect((await importIntoNoTable("disqus", zip)).stderr).toContain("is compressed with zip");

    const cut = join(dir, "cut.xml.gz");
    const gz = gzipSync(plain);
    writeFileSync(cut, gz.subarray(0, Math.floor(gz.length / 2)));
    const refusedCut = await importIntoNoTable("disqus", cut);
    expect(refusedCut.code).toBe(1);
    expect(refusedCut.stderr).toContain(`Error: ${cut} is gzip-compressed but damaged or cut off (unexpected end of file): download it again.`);
    expect(refusedCut.tableCreated).toBe(false);
  });
});

describe("the path given", () => {
  it("is checked before anything starts: a directory is named as one, and the embedded store never starts", async () => {
    const dataDir = join(dir, "data");
    const folder = join(dir, "a-folder.xml");
    mkdirSync(folder);
    const result = await cli(["import", "wordpress", "--site", "demo", folder], { DATA_DIR: dataDir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Error: Cannot read ${folder}: it is a directory, not a file`);
    expect(result.stderr).not.toContain("EISDIR");
    expect(existsSync(join(dataDir, "dynamodb"))).toBe(false);
  });

  it.skipIf(process.getuid?.() === 0)("says when the file cannot be read for lack of permission", async () => {
    const file = join(dir, "private.xml");
    writeFileSync(file, wxr("", "https://old.example/p/", "A", "B"));
    chmodSync(file, 0o000);
    const result = await importIntoNoTable("wordpress", file);
    expect(result.stderr).toContain(`Error: Cannot read ${file}: permission denied`);
    expect(result.tableCreated).toBe(false);
  });
});
