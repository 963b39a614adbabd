// The demo's real-training campaign: which dataset it trains on, and the recipe for it.
import type { DemoApi } from "./demo-campaign.ts";

/** What the demo reads of GET /datasets. */
interface DatasetEntry {
  name: string;
  description: string;
  available: boolean;
}

/** The evaluator spec of the demo's training campaign, and what to say about the choice. */
export interface DemoTraining {
  evaluator: Record<string, unknown> & { kind: "train"; dataset: string };
  /** Printed before the campaign: what it trains on, or why not on Fashion-MNIST. */
  note: string;
  /** For the results: what chance is. */
  chance: string;
}

/**
 * Fashion-MNIST when the API can load it (GET /datasets, which judges the files the workers
 * read): one-cell networks (N=1, C=8) for 2 epochs on the first 2,000 training images with the
 * default recipe (SGD, cosine schedule, augmentation), validated on the 5,000 held-out images
 * and tested on the 10,000 test images. Well above chance (10 %): random cells reach 58 to 68 %
 * test accuracy; four of them took 131 s on two workers of a two-core machine under a load
 * average near 19 (docs/datasets.md). Otherwise the generated synthetic-shapes, with the command that
 * installs Fashion-MNIST.
 */
export async function chooseDemoTraining(api: DemoApi): Promise<DemoTraining> {
  const response = await fetch(`${api.base}/datasets`, {
    headers: { authorization: `Bearer ${api.apiKey}` },
  });
  const items = response.ok ? ((await response.json()) as { items: DatasetEntry[] }).items : [];
  const fashion = items.find((item) => item.name === "fashion-mnist");
  if (fashion?.available) {
    return {
      evaluator: {
        kind: "train",
        dataset: "fashion-mnist",
        epochs: 2,
        trainSamples: 2000,
        cellsPerStage: 1,
        channels: 8,
      },
      note: `Fashion-MNIST (${fashion.description.split("; ").at(-1)})`,
      chance: "Fashion-MNIST has 10 classes: chance is 10 %",
    };
  }
  const why = fashion
    ? "Fashion-MNIST is not installed"
    : `this API does not list fashion-mnist (GET /datasets answered ${response.status})`;
  return {
    // Two epochs on the first 512 images at batch 32: a conv cell reaches about 35 %
    // (docs/datasets.md), in about a minute on two cores.
    evaluator: {
      kind: "train",
      dataset: "synthetic-shapes",
      epochs: 2,
      cellsPerStage: 1,
      channels: 8,
      batchSize: 32,
      trainSamples: 512,
    },
    note: `the generated synthetic-shapes: ${why}. To train on real images next time: sudo apt-get install dataset-fashion-mnist (Debian, Ubuntu), or see docs/datasets.md`,
    chance: "synthetic-shapes has 10 classes: chance is 10 %",
  };
}
