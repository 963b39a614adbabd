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

export function formatLogLine(name: string, line: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line);
  } catch {
    return `${name.padEnd(12)} ${line}`;
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
  return `${time} ${name.padEnd(12)} ${level.padEnd(5)} ${entry.msg ?? ""} ${fields}`.trimEnd();
}
