import type { ImageDataset, ImageSplit } from "@nasvae/datasets";
import { createRandom, type Random } from "@nasvae/search-space";

/*
 * A small learnable image set for tests: each class is a random colour prototype with a
 * bright horizontal or vertical bar; samples add pixel noise and a random shift of the bar.
 */

export interface SyntheticOptions {
  readonly classes?: number;
  readonly imageSize?: number;
  readonly train?: number;
  readonly validation?: number;
  readonly test?: number;
  readonly seed?: number;
}

export function syntheticDataset(options: SyntheticOptions = {}): ImageDataset {
  const classes = options.classes ?? 4;
  const imageSize = options.imageSize ?? 8;
  const random = createRandom(options.seed ?? 1);
  const colours = Array.from({ length: classes }, () =>
    Array.from({ length: 3 }, () => 40 + random.int(176)),
  );
  const split = (count: number): ImageSplit => {
    const images = new Uint8Array(count * imageSize * imageSize * 3);
    const labels = new Uint8Array(count);
    for (let n = 0; n < count; n++) {
      const label = n % classes;
      labels[n] = label;
      drawSample(images, n, label, colours[label] ?? [0, 0, 0], imageSize, random);
    }
    return { images, labels, count };
  };
  return {
    name: "synthetic",
    classes,
    imageSize,
    channels: 3,
    train: split(options.train ?? 256),
    validation: split(options.validation ?? 64),
    test: split(options.test ?? 64),
  };
}

function drawSample(
  images: Uint8Array,
  n: number,
  label: number,
  colour: readonly number[],
  size: number,
  random: Random,
): void {
  const vertical = label % 2 === 0;
  const bar = random.int(size);
  const base = n * size * size * 3;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const onBar = (vertical ? x : y) === bar;
      for (let c = 0; c < 3; c++) {
        const value = (colour[c] ?? 0) + (onBar ? 60 : 0) + random.int(61) - 30;
        images[base + (y * size + x) * 3 + c] = Math.max(0, Math.min(255, value));
      }
    }
  }
}
