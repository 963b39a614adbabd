import * as tf from "@tensorflow/tfjs";
import type { TrainableParameter } from "./network.ts";
import type { ParameterOptimizer } from "./optimizer.ts";
import type { NamedVariable } from "./trainable-network.ts";
import { zerosVariableLike } from "./variables.ts";

export interface AdamOptions {
  /** Default 0.9. */
  readonly beta1?: number;
  /** Default 0.999. */
  readonly beta2?: number;
  /** Default 1e-8 (PyTorch's). */
  readonly epsilon?: number;
  /** L2 penalty added to the gradient of parameters marked `decay` (not AdamW). Default 0. */
  readonly weightDecay?: number;
}

/** Adam with bias correction, PyTorch's formulation (torch.optim.Adam). */
export class Adam implements ParameterOptimizer {
  private readonly firstMoments: tf.Variable[];
  private readonly secondMoments: tf.Variable[];
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;
  private readonly weightDecay: number;
  steps = 0;

  constructor(
    private readonly parameters: readonly TrainableParameter[],
    options: AdamOptions = {},
  ) {
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-8;
    this.weightDecay = options.weightDecay ?? 0;
    this.firstMoments = parameters.map((p) => zerosVariableLike(p.variable));
    this.secondMoments = parameters.map((p) => zerosVariableLike(p.variable));
  }

  step(gradients: readonly (tf.Tensor | undefined)[], learningRate: number): void {
    this.steps++;
    const correction1 = 1 - this.beta1 ** this.steps;
    const correction2 = 1 - this.beta2 ** this.steps;
    tf.tidy(() => {
      // p ← p − lr/c1 · m / (sqrt(v)/sqrt(c2) + eps)
      const stepSize = tf.scalar(learningRate / correction1);
      const sqrtCorrection2 = tf.scalar(Math.sqrt(correction2));
      const eps = tf.scalar(this.epsilon);
      const b1 = tf.scalar(this.beta1);
      const b2 = tf.scalar(this.beta2);
      const oneMinusB1 = tf.scalar(1 - this.beta1);
      const oneMinusB2 = tf.scalar(1 - this.beta2);
      const wd = tf.scalar(this.weightDecay);
      this.parameters.forEach(({ variable, decay }, i) => {
        const gradient = gradients[i];
        const m = this.firstMoments[i];
        const v = this.secondMoments[i];
        if (!m || !v) throw new Error(`no state for parameter ${i}`);
        if (!gradient) return; // it did not influence the loss (a dead edge): left as it is
        const g = decay && this.weightDecay > 0 ? tf.add(gradient, tf.mul(wd, variable)) : gradient;
        const newM = tf.add(tf.mul(b1, m), tf.mul(oneMinusB1, g));
        const newV = tf.add(tf.mul(b2, v), tf.mul(oneMinusB2, tf.square(g)));
        m.assign(newM);
        v.assign(newV);
        const denominator = tf.add(tf.div(tf.sqrt(newV), sqrtCorrection2), eps);
        variable.assign(tf.sub(variable, tf.mul(stepSize, tf.div(newM, denominator))));
      });
    });
  }

  stateVariables(): NamedVariable[] {
    return this.parameters.flatMap((p, i) => [
      { name: `${p.name}.m`, variable: this.firstMoments[i] as tf.Variable },
      { name: `${p.name}.v`, variable: this.secondMoments[i] as tf.Variable },
    ]);
  }

  dispose(): void {
    tf.dispose([...this.firstMoments, ...this.secondMoments]);
  }
}
