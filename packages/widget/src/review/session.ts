/**
 * The moderator key lives in sessionStorage only (gone when the tab closes, never in a URL), and is bound to
 * the API base, so a link pointing the page at another API never receives a key typed for this one.
 */
const storageKey = (api: string) => `cw-review-key:${api}`;

export function savedKey(api: string): string | null {
  try {
    return sessionStorage.getItem(storageKey(api));
  } catch {
    return null;
  }
}

export function saveKey(api: string, key: string): void {
  try {
    sessionStorage.setItem(storageKey(api), key);
  } catch {
    // Storage disabled: the key lasts until the page is reloaded.
  }
}

export function forgetKey(api: string): void {
  try {
    sessionStorage.removeItem(storageKey(api));
  } catch {
    // Nothing stored.
  }
}
