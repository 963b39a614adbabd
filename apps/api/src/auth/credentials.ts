/**
 * The key in an Authorization header: `Bearer KEY`, or `Basic base64(user:KEY)` (what a browser
 * sends after the dashboard's login prompt; the user name is ignored). Null when there is none.
 */
export function keyFromAuthorization(header: string | undefined): string | null {
  if (!header) return null;
  const [scheme, ...rest] = header.trim().split(/\s+/);
  const value = rest.join(" ");
  if (!scheme || !value) return null;
  if (scheme.toLowerCase() === "bearer") return value;
  if (scheme.toLowerCase() === "basic") {
    const decoded = Buffer.from(value, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    return colon >= 0 && colon < decoded.length - 1 ? decoded.slice(colon + 1) : null;
  }
  return null;
}

/** API_KEYS as a list: comma-separated, blanks ignored. */
export function parseKeyList(setting: string | undefined): string[] {
  return (setting ?? "")
    .split(",")
    .map((key) => key.trim())
    .filter((key) => key.length > 0);
}

/** The `admin:` mark of an API_KEYS entry: that key may use the dashboard's actions. */
const ADMIN_MARK = "admin:";

/** API_KEYS split into keys, and those of them marked `admin:KEY` (the mark removed). */
export function parseApiKeys(setting: string | undefined): { keys: string[]; adminKeys: string[] } {
  const keys: string[] = [];
  const adminKeys: string[] = [];
  for (const entry of parseKeyList(setting)) {
    if (entry.startsWith(ADMIN_MARK)) {
      const key = entry.slice(ADMIN_MARK.length).trim();
      keys.push(key);
      adminKeys.push(key);
    } else {
      keys.push(entry);
    }
  }
  return { keys, adminKeys };
}
