import { Mulberry32, type Random } from "@nasvae/search-space";
import type { ImageDataset, ImageSplit } from "./dataset.ts";
import { SHAPE_CLASSES } from "./shapes.ts";

/**
 * `synthetic-shapes`: a small dataset generated in-process, so that tests, CI and the demo train
 * for real with no download. Same image shape (32x32x3) and class count (10) as CIFAR-10; each
 * image is one of ten shapes or patterns (shapes.ts) in a random colour, position, size and a
 * slight tilt, brighter than its background (a random colour with a gradient), with a little
 * clutter (dots and thin lines in other colours) and pixel noise. Colour and position carry no
 * class information, so a classifier must learn spatial features; the shapes are clear enough
 * that a one-cell network learns them in one epoch. docs/datasets.md measures how hard it is.
 */
export const SYNTHETIC_SHAPES = {
  name: "synthetic-shapes",
  description:
    "Generated offline: 10 classes of procedurally drawn shapes and patterns (32x32x3) with random colour, position, scale, tilt, light clutter and noise; a stand-in for CIFAR-10 in tests and demos, not comparable to CIFAR figures",
  classes: SHAPE_CLASSES.length,
  imageSize: 32,
  channels: 3,
  trainSize: 2_000,
  validationSize: 500,
  testSize: 500,
} as const;

/** Each split has its own stream, so changing one split's size leaves the others as they are. */
const SPLIT_SEEDS = { train: 0x5eed_0001, validation: 0x5eed_0002, test: 0x5eed_0003 } as const;

export interface SyntheticShapesOptions {
  /** Images in each split; defaults 2,000, 500 and 500 (SYNTHETIC_SHAPES). */
  readonly trainSize?: number;
  readonly validationSize?: number;
  readonly testSize?: number;
}

/** Generates the dataset; the same sizes always give the same bytes, on every machine. */
export function generateSyntheticShapes(options: SyntheticShapesOptions = {}): ImageDataset {
  const { name, classes, imageSize, channels } = SYNTHETIC_SHAPES;
  return {
    name,
    classes,
    imageSize,
    channels,
    train: generateSplit(SPLIT_SEEDS.train, options.trainSize ?? SYNTHETIC_SHAPES.trainSize),
    validation: generateSplit(
      SPLIT_SEEDS.validation,
      options.validationSize ?? SYNTHETIC_SHAPES.validationSize,
    ),
    test: generateSplit(SPLIT_SEEDS.test, options.testSize ?? SYNTHETIC_SHAPES.testSize),
  };
}

const SIZE = SYNTHETIC_SHAPES.imageSize;
const CHANNELS = SYNTHETIC_SHAPES.channels;
const IMAGE_BYTES = SIZE * SIZE * CHANNELS;

function generateSplit(seed: number, count: number): ImageSplit {
  if (!Number.isInteger(count) || count < 0) {
    throw new Error(`synthetic-shapes: a split size must be a whole number, got ${count}`);
  }
  // createRandom's generator, by its class: the noise takes four bytes from each raw output.
  const random = new Mulberry32(seed);
  // Balanced: class i % 10 for image i, then shuffled (Fisher-Yates).
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i += 1) labels[i] = i % SYNTHETIC_SHAPES.classes;
  for (let i = count - 1; i > 0; i -= 1) {
    const j = random.int(i + 1);
    const swap = labels[i] as number;
    labels[i] = labels[j] as number;
    labels[j] = swap;
  }
  const images = new Uint8Array(count * IMAGE_BYTES);
  const canvas = new Float32Array(IMAGE_BYTES);
  for (let i = 0; i < count; i += 1) {
    drawImage(random, labels[i] as number, canvas);
    for (let k = 0; k < IMAGE_BYTES; k += 1) {
      // Float32Array to Uint8Array would wrap; clamp, then round half up.
      const value = canvas[k] as number;
      images[i * IMAGE_BYTES + k] = value <= 0 ? 0 : value >= 255 ? 255 : Math.floor(value + 0.5);
    }
  }
  return { images, labels, count };
}

type Colour = [number, number, number];

const uniform = (random: Random, low: number, high: number) => low + (high - low) * random.next();
const randomColour = (random: Random): Colour => [
  random.int(256),
  random.int(256),
  random.int(256),
];
const distance = (a: Colour, b: Colour) =>
  Math.sqrt((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2 + (a[2] - b[2]) ** 2);
/** Perceived brightness (Rec. 601 weights), 0 to 255. */
const luminance = (c: Colour) => 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2];

/**
 * How much brighter than the background a shape's (first) colour is, at least. One polarity,
 * light on dark: a network learns its edges in a few dozen steps; with either polarity it
 * needs several epochs (docs/datasets.md).
 */
const SHAPE_BRIGHTER_BY = 100;
/** The background's luminance at most, so that a colour that much brighter exists. */
const BACKGROUND_MAX_LUMINANCE = 255 - SHAPE_BRIGHTER_BY - 20;

/** A colour at least `minimum` away from every colour in `others` (the shape stays visible). */
function contrastingColour(random: Random, others: Colour[], minimum: number): Colour {
  for (;;) {
    const colour = randomColour(random);
    if (others.every((other) => distance(colour, other) >= minimum)) return colour;
  }
}

/** A random colour at most `maximum` in luminance. */
function darkColour(random: Random, maximum: number): Colour {
  for (;;) {
    const colour = randomColour(random);
    if (luminance(colour) <= maximum) return colour;
  }
}

/** A colour far from `background` (see contrastingColour) and `brighterBy` brighter. */
function brighterColour(
  random: Random,
  background: Colour,
  minimum: number,
  brighterBy: number,
): Colour {
  for (;;) {
    const colour = contrastingColour(random, [background], minimum);
    if (luminance(colour) - luminance(background) >= brighterBy) return colour;
  }
}

/**
 * Tilt of a shape: the unit vector of (1, t), t uniform in [-0.36, 0.36], so up to 20 degrees
 * either way from upright, with no trigonometry (see shapes.ts). Full rotations keep a one-cell
 * network near chance after an epoch (docs/datasets.md).
 */
function tilt(random: Random): [number, number] {
  const t = uniform(random, -0.36, 0.36);
  const norm = Math.sqrt(1 + t * t);
  return [1 / norm, t / norm];
}

/** A uniformly random unit vector by rejection: no trigonometry (see shapes.ts). */
function randomDirection(random: Random): [number, number] {
  for (;;) {
    const x = uniform(random, -1, 1);
    const y = uniform(random, -1, 1);
    const norm = Math.sqrt(x * x + y * y);
    if (norm > 0.1 && norm <= 1) return [x / norm, y / norm];
  }
}

function setPixel(canvas: Float32Array, x: number, y: number, colour: Colour): void {
  const offset = (y * SIZE + x) * CHANNELS;
  canvas[offset] = colour[0];
  canvas[offset + 1] = colour[1];
  canvas[offset + 2] = colour[2];
}

/** Paints `paint` (shape frame, see shapes.ts) centred at (cx, cy), rotated and scaled. */
function drawShape(
  canvas: Float32Array,
  paint: (u: number, v: number) => 0 | 1 | 2,
  cx: number,
  cy: number,
  scale: number,
  [cos, sin]: [number, number],
  colours: [Colour, Colour],
): void {
  // Every shape lies within radius 1.42 (the square corners) of its centre.
  const reach = Math.ceil(scale * 1.42);
  const x0 = Math.max(0, Math.floor(cx) - reach);
  const x1 = Math.min(SIZE - 1, Math.ceil(cx) + reach);
  const y0 = Math.max(0, Math.floor(cy) - reach);
  const y1 = Math.min(SIZE - 1, Math.ceil(cy) + reach);
  for (let y = y0; y <= y1; y += 1) {
    for (let x = x0; x <= x1; x += 1) {
      // Pixel centres, into the shape's frame.
      const dx = x + 0.5 - cx;
      const dy = y + 0.5 - cy;
      const u = (cos * dx + sin * dy) / scale;
      const v = (cos * dy - sin * dx) / scale;
      const covered = paint(u, v);
      if (covered !== 0) setPixel(canvas, x, y, covered === 1 ? colours[0] : colours[1]);
    }
  }
}

const dot = (u: number, v: number): 0 | 1 => (u * u + v * v <= 1 ? 1 : 0);
const line = (u: number, v: number): 0 | 1 => (Math.abs(u) <= 1 && Math.abs(v) <= 0.12 ? 1 : 0);

/** Clutter: a small dot or a thin line in a random colour, anywhere. */
function drawClutter(random: Random, canvas: Float32Array): void {
  const colour = randomColour(random);
  const x = uniform(random, 0, SIZE);
  const y = uniform(random, 0, SIZE);
  if (random.next() < 0.6) {
    drawShape(canvas, dot, x, y, uniform(random, 0.8, 2.2), [1, 0], [colour, colour]);
  } else {
    // 6 to 12 px long and under 1.5 px wide: thinner than any bar (3.2 px or more).
    const scale = uniform(random, 3, 6);
    drawShape(canvas, line, x, y, scale, randomDirection(random), [colour, colour]);
  }
}

function drawImage(random: Mulberry32, label: number, canvas: Float32Array): void {
  // Background: a darkish colour with a linear gradient of random direction, strength and tint.
  const background = darkColour(random, BACKGROUND_MAX_LUMINANCE);
  const [gx, gy] = randomDirection(random);
  const strength = uniform(random, 0, 1);
  const tint: Colour = [uniform(random, -1, 1), uniform(random, -1, 1), uniform(random, -1, 1)];
  for (let y = 0; y < SIZE; y += 1) {
    for (let x = 0; x < SIZE; x += 1) {
      const t = strength * (gx * (x - 15.5) + gy * (y - 15.5));
      const offset = (y * SIZE + x) * CHANNELS;
      for (let c = 0; c < CHANNELS; c += 1) {
        canvas[offset + c] = (background[c] as number) + t * (tint[c] as number);
      }
    }
  }
  // A little clutter, behind the shape.
  const clutter = random.int(3);
  for (let k = 0; k < clutter; k += 1) drawClutter(random, canvas);

  // The shape: two colours that stand out from the background and from each other, the first
  // (most of the shape's pixels) brighter than the background.
  const first = brighterColour(random, background, 160, SHAPE_BRIGHTER_BY);
  const second = contrastingColour(random, [background, first], 120);
  const shape = SHAPE_CLASSES[label];
  if (!shape) throw new Error(`synthetic-shapes: no class ${label}`);
  drawShape(
    canvas,
    shape.paint,
    uniform(random, 11, 21),
    uniform(random, 11, 21),
    uniform(random, 8, 12),
    tilt(random),
    [first, second],
  );

  // Pixel noise, uniform in [-sigma, sigma] in 256 steps, sigma itself random per image. Four
  // values per raw output: the noise is most of the random numbers drawn.
  const sigma = uniform(random, 2, 6);
  const step = (2 * sigma) / 255;
  for (let k = 0; k < IMAGE_BYTES; k += 4) {
    let bits = random.nextUint32();
    for (let b = 0; b < 4 && k + b < IMAGE_BYTES; b += 1, bits >>>= 8) {
      canvas[k + b] = (canvas[k + b] as number) - sigma + step * (bits & 0xff);
    }
  }
}
