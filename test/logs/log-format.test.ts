// The human log formatter (npm start, the demo) must not pass control characters through: a
// campaign name with an escape sequence or a newline would rewrite the terminal or fake a line.
import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { test } from "node:test";
import { pino } from "pino";
import { escapeControl, formatLogLine } from "../../scripts/lib/log-format.ts";

/** The JSON lines a real pino logger writes for `fields`. */
function jsonLines(fields: Record<string, unknown>, msg: string): string[] {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...chunk.toString().split("\n").filter(Boolean));
      done();
    },
  });
  pino({ base: { app: "api" } }, sink).info(fields, msg);
  return lines;
}

const hostile = "evil\u001b[2J\u001b[31mred\r\n12:00:00 api INFO fake line\u0007\u009b\u2028end";
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
const RAW_CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

test("control characters in logged names are escaped, in fields and in the message", () => {
  const [line] = jsonLines({ campaignId: "c1", name: hostile }, `campaign queued: ${hostile}`);
  const formatted = formatLogLine("api", line as string);
  assert.doesNotMatch(formatted, RAW_CONTROL, JSON.stringify(formatted));
  assert.match(formatted, /name=evil\\x1b\[2J\\x1b\[31mred\\x0d\\x0a12:00:00 api INFO fake line/);
  assert.match(formatted, /\\x07\\x9b\\u2028end/);
  assert.equal(formatted.split("\n").length, 1);
});

test("a line that is not JSON is escaped too; plain text is unchanged", () => {
  assert.doesNotMatch(formatLogLine("worker", `crash ${hostile}`), RAW_CONTROL);
  assert.equal(escapeControl("plain name, with ünïcode"), "plain name, with ünïcode");
});
