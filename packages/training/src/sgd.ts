import * as tf from "@tensorflow/tfjs";
import type { TrainableParameter } from "./network.ts";
import type { ParameterOptimizer } from "./optimizer.ts";
import type { NamedVariable } from "./trainable-network.ts";
import { zerosVariableLike } from "./variables.ts";

export interface SgdOptions {
  /** Momentum factor (NB201: 0.9). Default 0.9. */
  readonly momentum?: number;
  /** Nesterov momentum (NB201: on). Default true. */
  readonly nesterov?: boolean;
  /** L2 penalty on parameters marked `decay` (NB201: 5e-4). Default 0. */
  readonly weightDecay?: number;
}

/**
 * SGD with (Nesterov) momentum, PyTorch's formulation, which NB201 trains with:
 *   g ← grad + wd·p;  v ← μ·v + g;  p ← p − lr·(g + μ·v)   (without Nesterov: p ← p − lr·v).
 */
export class NesterovSgd implements ParameterOptimizer {
  private readonly velocities: tf.Variable[];
  private readonly momentum: number;
  private readonly nesterov: boolean;
  private readonly weightDecay: number;
  steps = 0;

  constructor(
    private readonly parameters: readonly TrainableParameter[],
    options: SgdOptions = {},
  ) {
    this.momentum = options.momentum ?? 0.9;
    this.nesterov = options.nesterov ?? true;
    this.weightDecay = options.weightDecay ?? 0;
    this.velocities = parameters.map((p) => zerosVariableLike(p.variable));
  }

  step(gradients: readonly (tf.Tensor | undefined)[], learningRate: number): void {
    this.steps++;
    tf.tidy(() => {
      const lr = tf.scalar(learningRate);
      const mu = tf.scalar(this.momentum);
      const wd = tf.scalar(this.weightDecay);
      this.parameters.forEach(({ variable, decay }, i) => {
        const gradient = gradients[i];
        const velocity = this.velocities[i];
        if (!velocity) throw new Error(`no state for parameter ${i}`);
        if (!gradient) return; // it did not influence the loss (a dead edge): left as it is
        const g = decay && this.weightDecay > 0 ? tf.add(gradient, tf.mul(wd, variable)) : gradient;
        const v = tf.add(tf.mul(mu, velocity), g);
        velocity.assign(v);
        const update = this.nesterov ? tf.add(g, tf.mul(mu, v)) : v;
        variable.assign(tf.sub(variable, tf.mul(lr, update)));
      });
    });
  }

  stateVariables(): NamedVariable[] {
    return this.parameters.map((p, i) => ({
      name: `${p.name}.velocity`,
      variable: this.velocities[i] as tf.Variable,
    }));
  }

  dispose(): void {
    tf.dispose(this.velocities);
  }
}
