// The shapes of the macro networks built around a cell (packages/training builds them).

/** What every network reads and predicts. */
export interface ImageShape {
  readonly classes: number;
  /** Input height = width; divisible by 4 (both networks reduce twice by 2). */
  readonly imageSize: number;
  /** Colour channels of the input. Default 3 (CIFAR, ImageNet16); 1 for Fashion-MNIST. */
  readonly inputChannels?: number;
}

/** The macro network around a cell (NAS-Bench-201: N=5 cells per stage, C=16 channels). */
export interface NetworkShape extends ImageShape {
  readonly channels: number;
  readonly cellsPerStage: number;
}

/** The ENAS-6 macro child network (ENAS's final training: C=96; the train evaluator: 16). */
export interface EnasNetworkShape extends ImageShape {
  /** Channels of the stem and layers 0-1; 2C after layer 1, 4C after layer 3. */
  readonly channels: number;
}
