// Turns the apps' JSON log lines into one short readable line each, for a terminal.
const levels: Record<number, string> = {
  10: "TRACE",
  20: "DEBUG",
  30: "INFO",
  40: "WARN",
  50: "ERROR",
  60: "FATAL",
};
const hidden = new Set([
  "level",
  "time",
  "pid",
  "hostname",
  "msg",
  "app",
  "worker",
  "reqId",
  "req",
  "res",
]);

/**
 * C0 and C1 control characters, DEL and the Unicode line separators, written as escapes: a
 * campaign name (or any logged string) must not move the cursor, clear the terminal, colour it
 * or start a fake log line.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

export function escapeControl(text: string): string {
  return text.replace(CONTROL, (char) => {
    const code = char.charCodeAt(0);
    return code <= 0xff
      ? `\\x${code.toString(16).padStart(2, "0")}`
      : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}

export function formatLogLine(name: string, line: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line);
  } catch {
    return `${name.padEnd(12)} ${escapeControl(line)}`;
  }
  const time = new Date(typeof entry.time === "number" ? entry.time : Date.now())
    .toISOString()
    .slice(11, 19);
  const level = levels[entry.level as number] ?? "INFO";
  const fields = Object.entries(entry)
    .filter(([key]) => !hidden.has(key))
    .map(
      ([key, value]) =>
        `${key}=${typeof value === "object" ? JSON.stringify(value) : String(value)}`,
    )
    .join(" ");
  return escapeControl(
    `${time} ${name.padEnd(12)} ${level.padEnd(5)} ${entry.msg ?? ""} ${fields}`.trimEnd(),
  );
}
