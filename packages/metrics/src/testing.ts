// Test support: reads the Prometheus text format back, so that tests assert on what a scrape sees.

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const sampleLine = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const labelPair = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Every sample of a scrape (comments and blank lines skipped). */
export function parseMetrics(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const match = sampleLine.exec(line);
    if (!match) continue;
    const [, name = "", rawLabels = "", value = ""] = match;
    const labels: Record<string, string> = {};
    for (const [, key = "", raw = ""] of rawLabels.matchAll(labelPair)) {
      labels[key] = raw.replace(/\\n/g, "\n").replace(/\\(["\\])/g, "$1");
    }
    samples.push({ name, labels, value: Number(value) });
  }
  return samples;
}

/** The samples named `name` whose labels include `labels`. */
export function findSamples(
  text: string,
  name: string,
  labels: Record<string, string> = {},
): Sample[] {
  return parseMetrics(text).filter(
    (sample) =>
      sample.name === name &&
      Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
  );
}

/** The sum of the values of the samples named `name` whose labels include `labels` (0 if none). */
export function sumSamples(
  text: string,
  name: string,
  labels: Record<string, string> = {},
): number {
  return findSamples(text, name, labels).reduce((sum, sample) => sum + sample.value, 0);
}
