/** 50 sites with sign-in-sized settings: captcha, moderation, rate limits, webhooks (about 30 KB of JSON). */
export function fiftySites() {
  return Array.from({ length: 50 }, (_, i) => ({
    id: `site-${i}`,
    name: `Regional News ${i}`,
    origins: [`https://news-${i}.example`, `https://www.news-${i}.example`],
    captcha: { provider: "test", timeoutMs: 3000, minScore: 0.3, reviewBelow: 0.7 },
    moderation: { premoderateFirstComment: true, maxLinks: 2, suspectWords: ["casino", "crypto"], bannedWords: ["spamword"], flagThreshold: 3 },
    rateLimit: { perMinute: 5, perHour: 30 },
    notify: { webhooks: [`https://hooks.news-${i}.example/comments`] },
    closeAfterDays: 30,
  }));
}
