import * as tf from "@tensorflow/tfjs";

/**
 * Running sums of loss and correct predictions kept on the backend, so a loop reads them
 * back once (per epoch) instead of syncing every batch.
 */
export class MetricSums {
  private lossSum: tf.Scalar = tf.keep(tf.scalar(0));
  private correctSum: tf.Scalar = tf.keep(tf.scalar(0));
  private samples = 0;

  /** Adds a batch: its mean loss (scalar), its correct count (scalar), its size. */
  add(meanLoss: tf.Scalar, correct: tf.Scalar, size: number): void {
    // Kept: add() may run inside a caller's tidy, which must not free the running sums.
    const [lossSum, correctSum] = tf.tidy(() => [
      tf.keep(tf.add(this.lossSum, tf.mul(meanLoss, size)) as tf.Scalar),
      tf.keep(tf.add(this.correctSum, correct) as tf.Scalar),
    ]);
    tf.dispose([this.lossSum, this.correctSum]);
    this.lossSum = lossSum;
    this.correctSum = correctSum;
    this.samples += size;
  }

  /** Mean loss per sample and accuracy in percent (NaN when nothing was added). */
  async read(): Promise<{ loss: number; accuracy: number; samples: number }> {
    const [loss, correct] = await Promise.all([this.lossSum.data(), this.correctSum.data()]);
    return {
      loss: (loss[0] ?? Number.NaN) / this.samples,
      accuracy: (100 * (correct[0] ?? Number.NaN)) / this.samples,
      samples: this.samples,
    };
  }

  dispose(): void {
    tf.dispose([this.lossSum, this.correctSum]);
  }
}
