import { GRAPH_VAE_DEFAULTS, type GraphVaeSpec, strategySpecProblem } from "@nasvae/contracts";
import type { PaddedGraph } from "@nasvae/graph-vae";
import type { Random } from "@nasvae/search-space";
import { isDomainSpace, spaceGraphs, spaceKey } from "./graph-space-of.ts";
import { chooseByExpectedImprovement } from "./latent-gp.ts";
import { type AccuracyFlopsPoint, chooseByHypervolumeGain, nonDominated } from "./pareto.ts";
import type {
  AnySearchSpace,
  Candidate,
  Observation,
  Proposal,
  ProposeRequest,
  Strategy,
} from "./strategy.ts";
import { sampleUnseen } from "./unseen-sampler.ts";

/**
 * FLOPs weights of the Pareto mode's gradient ascents (standardised objectives): from accuracy
 * only to mostly cost, so that trajectories reach along the whole front.
 */
export const PARETO_LAMBDAS = [0, 0.5, 1, 2, 4] as const;

/** A standard normal draw (Box-Muller) from the round's seeded generator. */
function gaussian(rng: Random): number {
  return Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
}

/** Pretrained weights per (space, latent size, steps), shared by the campaigns of this process. */
const pretrained = new Map<string, Promise<Uint8Array>>();

/**
 * The method of "Neural Architecture Optimization with Graph VAE" (Li et al. 2020), closed loop:
 * round 0 is a random sample; every later round fine-tunes the graph VAE and its two predictors
 * (warm-started from the last round's weights, passed as `state`) on all evaluations so far,
 * encodes the top-k evaluated cells, takes gradient steps on z that raise predicted accuracy
 * minus lambda * predicted FLOPs, decodes the trajectory, drops invalid decodes (the space's
 * fromDag judges them), duplicates and cells already evaluated, tops the pool up with perturbed
 * starts around the top-k encodings (and their own gradient steps), and keeps the candidates the
 * model rates best (from each candidate's own encoding; `selection: "random"` picks at random
 * instead). On a table's domain, decodes are snapped to the nearest unseen table cells. The
 * accuracy predictor learns robust targets (GraphVaeConfig.robustTargets): with a few labels,
 * one broken cell would otherwise squash the differences between the good ones. TF.js is loaded
 * on first use only.
 */
export class GraphVaeStrategy implements Strategy {
  readonly kind = "graph-vae";
  readonly settings: Required<Omit<GraphVaeSpec, "kind">>;

  constructor(
    private readonly space: AnySearchSpace,
    spec: GraphVaeSpec = { kind: "graph-vae" },
  ) {
    // The API refuses such a spec with a 400; callers that build one in code learn it here.
    const problem = strategySpecProblem(spec);
    if (problem !== null) throw new Error(problem);
    const { kind: _kind, ...overrides } = spec;
    this.settings = { ...GRAPH_VAE_DEFAULTS, ...overrides };
  }

  async propose(request: ProposeRequest): Promise<Proposal> {
    const labelled = request.history.filter(
      (o): o is Observation & { validationAccuracy: number; flops: number } =>
        o.status === "completed" && o.validationAccuracy !== undefined && o.flops !== undefined,
    );
    const seen = new Set(request.history.map((o) => o.canonicalHash));
    if (labelled.length === 0) {
      return {
        candidates: sampleUnseen(this.space, seen, request.count, request.rng),
        info: { phase: "random" },
      };
    }

    const { ensureBackend, GraphVaeSession } = await import("@nasvae/graph-vae");
    const backend = await ensureBackend();
    const { graphSpace, unlabelled, unlabelledFlops, toGraph, cellFlops } = await spaceGraphs(
      this.space,
    );
    const snapshot = request.state ?? (await this.pretrainedSnapshot());
    const session = GraphVaeSession.restore(graphSpace, unlabelled, snapshot, unlabelledFlops);
    try {
      const training = await session.train(
        labelled.map((o) => {
          const cell = this.space.parse(o.archString);
          // With the cost feature the FLOPs head learns the cost model's FLOPs for every cell;
          // the evaluated ones get the same figure (a trained network's FLOPs depend on its
          // dataset, the cost model's do not).
          const modelled = this.settings.costFeature ? cellFlops(cell) : undefined;
          return {
            graph: toGraph(cell),
            accuracy: o.validationAccuracy,
            flops: modelled ?? o.flops,
          };
        }),
        { steps: this.settings.finetuneSteps, rng: request.rng },
      );
      const started = performance.now();
      const { pool, decodes, invalid } = this.searchLatent(
        session,
        labelled,
        seen,
        request.count,
        toGraph,
        request.rng,
      );
      const fromNeighbours = this.addNeighbours(pool, labelled, seen);
      // Rate each candidate from its own encoding: trajectory points can stray where the
      // predictors extrapolate wildly, the encodings of real cells cannot (and a snapped cell is
      // not the decoded one).
      const encodings = session.encode(
        pool.map((entry) => toGraph(this.space.parse(entry.archString))),
      );
      pool.forEach((entry, i) => {
        entry.point = encodings[i] ?? entry.point;
      });
      const ranked =
        this.settings.selection === "random"
          ? shuffled(pool, request.rng).slice(0, request.count)
          : this.settings.objective === "pareto"
            ? this.selectForFront(session, pool, labelled, request.count, cellFlops)
            : this.settings.acquisition !== "predictor"
              ? this.selectByExpectedImprovement(session, pool, labelled, request.count, toGraph)
              : this.rankByPrediction(session, pool, this.settings.lambda).slice(0, request.count);
      const predictions = session.predictLatent(ranked.map((entry) => entry.point));
      const candidates: Candidate[] = ranked.map((entry, i) => ({
        archString: entry.archString,
        canonicalHash: entry.canonicalHash,
        prediction: predictions[i] ?? {},
      }));
      for (const c of candidates) seen.add(c.canonicalHash);
      // The latent search can run dry (a small space nearly exhausted, or no valid decodes):
      // top up at random.
      const random = sampleUnseen(this.space, seen, request.count - candidates.length, request.rng);
      const snapped = pool.filter((entry) => entry.snapDistance > 0);
      return {
        candidates: [...candidates, ...random],
        state: session.save(),
        info: {
          phase: "model",
          backend,
          trainMs: Math.round(training.milliseconds),
          searchMs: Math.round(performance.now() - started),
          loss: training.loss,
          labelled: labelled.length,
          selection: this.settings.selection,
          objective: this.settings.objective,
          acquisition: this.settings.acquisition,
          decodes,
          invalidDecodes: invalid,
          pool: pool.length,
          snapped: snapped.length,
          snapDistanceMean:
            snapped.length > 0
              ? snapped.reduce((sum, entry) => sum + entry.snapDistance, 0) / snapped.length
              : 0,
          snapDistanceMax: Math.max(0, ...snapped.map((entry) => entry.snapDistance)),
          random: random.length,
          steps: session.steps,
          poolFromSteps: pool.filter((entry) => entry.fromSteps).length,
          poolFromNeighbours: fromNeighbours,
          chosenFromNeighbours: ranked.filter((entry) => entry.fromNeighbours).length,
          chosenFromSteps: ranked.filter((entry) => entry.fromSteps).length,
          chosenEdits: ranked.map((entry) => entry.edits),
          chosenSnapDistances: ranked.map((entry) => entry.snapDistance),
        },
      };
    } finally {
      session.dispose();
    }
  }

  /**
   * Adds the unseen neighbours (`space.neighbours`) of the `neighbourCentres` best evaluated
   * cells to the pool; returns how many joined. Their latent point is set from their own
   * encoding, as for every pool entry, before they are ranked.
   */
  private addNeighbours(
    pool: PoolEntry[],
    labelled: readonly (Observation & { validationAccuracy: number })[],
    seen: ReadonlySet<string>,
  ): number {
    if (this.settings.neighbourCentres === 0) return 0;
    const inPool = new Set(pool.map((entry) => entry.canonicalHash));
    const centres = [...labelled]
      .sort((a, b) => b.validationAccuracy - a.validationAccuracy)
      .slice(0, this.settings.neighbourCentres);
    let added = 0;
    for (const centre of centres) {
      for (const neighbour of this.space.neighbours(this.space.parse(centre.archString))) {
        const hash = this.space.canonicalHash(neighbour);
        if (seen.has(hash) || inPool.has(hash)) continue;
        inPool.add(hash);
        pool.push({
          archString: this.space.format(neighbour),
          canonicalHash: hash,
          point: [],
          fromSteps: false,
          fromNeighbours: true,
          edits: 1,
          snapDistance: 0,
        });
        added += 1;
      }
    }
    return added;
  }

  /**
   * The Pareto mode's choice: greedily, the candidate whose predicted accuracy and FLOPs (the
   * cost model's where the space has one, else predicted) add the most hypervolume to the front
   * of the evaluated cells and of the candidates already chosen, as if the predictions were
   * measurements. When no candidate adds any, the rest of the round goes to the best of each
   * PARETO_LAMBDAS trade-off in turn, so that the whole front keeps being explored.
   */
  private selectForFront(
    session: import("@nasvae/graph-vae").GraphVaeSession,
    pool: readonly PoolEntry[],
    labelled: readonly (Observation & { validationAccuracy: number; flops: number })[],
    count: number,
    cellFlops: (cell: unknown) => number | undefined,
  ): PoolEntry[] {
    const flopsOf = (archString: string, fallback: number) =>
      cellFlops(this.space.parse(archString)) ?? fallback;
    const predictions = session.predictLatent(pool.map((entry) => entry.point));
    const candidates = pool.map((entry, i) => ({
      entry,
      accuracy: predictions[i]?.accuracy ?? Number.NEGATIVE_INFINITY,
      flops: Math.log(flopsOf(entry.archString, predictions[i]?.flops ?? 1)),
    }));
    const front: AccuracyFlopsPoint[] = labelled.map((o) => ({
      accuracy: o.validationAccuracy,
      flops: Math.log(flopsOf(o.archString, o.flops)),
    }));
    const all = [...front, ...candidates];
    const reference = {
      accuracy: Math.min(...all.map((p) => p.accuracy).filter(Number.isFinite)) - 1,
      flops: Math.max(...all.map((p) => p.flops)) + 0.1,
    };
    const chosen = chooseByHypervolumeGain(front, candidates, count, reference).map(
      (i) => (candidates[i] as (typeof candidates)[number]).entry,
    );
    const rankings = PARETO_LAMBDAS.map((lambda) =>
      this.rankByPrediction(session, pool, lambda).filter((entry) => !chosen.includes(entry)),
    );
    for (let turn = 0; chosen.length < Math.min(count, pool.length); turn++) {
      const ranking = rankings[turn % rankings.length] as PoolEntry[];
      const next = ranking.find((entry) => !chosen.includes(entry));
      if (next) chosen.push(next);
    }
    return chosen;
  }

  /**
   * Bayesian optimisation over the pool (`acquisition` "gp-ei" / "residual-gp-ei"): a GP on the
   * latent encodings of the evaluated cells, targets -log(100 - accuracy) (stretching the top,
   * where the search is) with broken cells raised to the lower fence (Q1 - 1.5 IQR) so that one
   * 10 % cell does not flatten the rest; the round takes the candidates of highest expected
   * improvement, one at a time (kriging believer). "residual-gp-ei" fits the GP to what a linear
   * map of the predictor's output gets wrong, so that its mean is the predictor's where the GP
   * knows nothing and its variance adds the exploration the predictor lacks.
   */
  private selectByExpectedImprovement(
    session: import("@nasvae/graph-vae").GraphVaeSession,
    pool: readonly PoolEntry[],
    labelled: readonly (Observation & { validationAccuracy: number })[],
    count: number,
    toGraph: (cell: unknown) => PaddedGraph,
  ): PoolEntry[] {
    if (labelled.length < 2 || pool.length <= count) {
      return this.rankByPrediction(session, pool, 0).slice(0, count);
    }
    const transform = (accuracy: number) => -Math.log(Math.max(1e-3, 100 - accuracy));
    const raw = labelled.map((o) => transform(o.validationAccuracy));
    const sorted = [...raw].sort((a, b) => a - b);
    const quartile = (q: number) => sorted[Math.floor(q * (sorted.length - 1))] as number;
    const fence = quartile(0.25) - 1.5 * (quartile(0.75) - quartile(0.25));
    const targets = raw.map((t) => Math.max(t, fence));
    const observedPoints = session.encode(
      labelled.map((o) => toGraph(this.space.parse(o.archString))),
    );
    const candidatePoints = pool.map((entry) => entry.point);
    let priors: { observed: number[]; candidates: number[] } | undefined;
    if (this.settings.acquisition === "residual-gp-ei") {
      const predicted = (points: readonly number[][]) =>
        session.predictLatent(points).map((p) => transform(p.accuracy ?? 0));
      const observed = predicted(observedPoints);
      const { slope, intercept } = leastSquaresLine(observed, targets);
      const line = (x: number) => slope * x + intercept;
      priors = {
        observed: observed.map(line),
        candidates: predicted(candidatePoints).map(line),
      };
    }
    return chooseByExpectedImprovement(
      { points: observedPoints, targets },
      candidatePoints,
      count,
      priors,
    ).map((i) => pool[i] as PoolEntry);
  }

  /** The pool, best predicted first (objective: accuracy - lambda * FLOPs, standardised). */
  private rankByPrediction(
    session: import("@nasvae/graph-vae").GraphVaeSession,
    pool: readonly PoolEntry[],
    lambda: number,
  ): PoolEntry[] {
    const scores = session.scoreLatent(
      pool.map((entry) => entry.point),
      lambda,
    );
    return pool
      .map((entry, i) => ({ entry, score: scores[i] ?? Number.NEGATIVE_INFINITY }))
      .sort((a, b) => b.score - a.score)
      .map(({ entry }) => entry);
  }

  /**
   * Gradient ascent from the encodings of the top-k evaluated cells; each point of each
   * trajectory is decoded, and new cells are kept with the point that produced them. Then, until
   * the pool holds `poolFactor` candidates per candidate wanted, points drawn around the top-k
   * encodings (radius 0.5, 1, 2, ... per latent unit), each decoded with its own `perturbedSteps`
   * gradient steps: most decode to cells one or two edits from a top cell, so that the predictor
   * then chooses among the near neighbours of the best cells. With latentSteps and
   * perturbedSteps 0, the encodings themselves are decoded and no gradient is taken.
   *
   * A decode that the space's fromDag rejects is counted (`invalid`) and dropped. On a domain
   * (a table's cells), a valid decoded cell stands for itself when it is an unseen table cell,
   * otherwise for the nearest table cell not seen yet, and the distance is kept with it.
   */
  private searchLatent(
    session: import("@nasvae/graph-vae").GraphVaeSession,
    labelled: readonly (Observation & { validationAccuracy: number })[],
    seen: ReadonlySet<string>,
    count: number,
    toGraph: (cell: unknown) => PaddedGraph,
    rng: Random,
  ): { pool: PoolEntry[]; decodes: number; invalid: number } {
    const graphSpace = session.space;
    const byAccuracy = [...labelled].sort((a, b) => b.validationAccuracy - a.validationAccuracy);
    const pareto = this.settings.objective === "pareto";
    const lambdas: readonly number[] = pareto ? PARETO_LAMBDAS : [this.settings.lambda];
    const pool: PoolEntry[] = [];
    const inPool = new Set<string>();
    /** Canonical hashes of the valid cells decoded so far: each is placed once. */
    const decodedCells = new Set<string>();
    let decodes = 0;
    let invalid = 0;
    const wanted = count * this.settings.poolFactor;
    const top = byAccuracy.slice(0, this.settings.topK);
    if (pareto) {
      // The front's cells are starts too (after the top-k by accuracy), up to topK more.
      const front = nonDominated(
        labelled.map((o) => ({ o, accuracy: o.validationAccuracy, flops: o.flops ?? 0 })),
      );
      for (const { o } of front.slice(0, this.settings.topK)) if (!top.includes(o)) top.push(o);
    }
    const topGraphs = top.map((o) => toGraph(this.space.parse(o.archString)));
    const startClasses = topGraphs.map((g) => g.classes);
    const collect = (points: number[][], fromSteps: boolean) => {
      session.decode(points).forEach((graph, s) => {
        decodes += 1;
        const cell = this.decodeCell(graphSpace, graph);
        if (cell === null) {
          invalid += 1;
          return;
        }
        const decodedHash = this.space.canonicalHash(cell);
        if (decodedCells.has(decodedHash)) return;
        decodedCells.add(decodedHash);
        const placed = this.placeDecoded(cell, decodedHash, seen, inPool);
        if (!placed) return;
        inPool.add(placed.canonicalHash);
        pool.push({
          ...placed,
          point: points[s] as number[],
          fromSteps,
          fromNeighbours: false,
          edits: Math.min(
            ...startClasses.map((start) => graph.classes.filter((c, i) => c !== start[i]).length),
          ),
        });
      });
    };
    const starts = session.encode(topGraphs);
    if (this.settings.latentSteps === 0) collect(starts, false);
    for (const lambda of lambdas) {
      for (const points of session.ascend(starts, {
        steps: this.settings.latentSteps,
        stepSize: this.settings.stepSize,
        lambda,
      })) {
        collect(points, true);
      }
    }
    // Trajectories that decode to known cells add nothing: then add starts around the top-k
    // encodings, further and further out, until the pool is full.
    let perturbedRounds = 0;
    for (let radius = 0.5; pool.length < wanted && radius <= 8; radius *= 2) {
      for (let repeat = 0; repeat < 4 && pool.length < wanted; repeat++) {
        const perturbed = starts.map((mu) => mu.map((value) => value + radius * gaussian(rng)));
        collect(perturbed, false);
        if (this.settings.perturbedSteps > 0) {
          // One trade-off per repeat in Pareto mode, all of them over the repeats.
          const lambda = lambdas[perturbedRounds++ % lambdas.length] as number;
          for (const points of session.ascend(perturbed, {
            steps: this.settings.perturbedSteps,
            stepSize: this.settings.stepSize,
            lambda,
          })) {
            collect(points, true);
          }
        }
      }
    }
    return { pool, decodes, invalid };
  }

  /**
   * The cell to propose for a valid decoded cell, or null when there is none: on the full space
   * the cell itself if unseen; on a domain the cell itself if it is an unseen domain cell, else
   * the nearest domain cell that is unseen (searched among the NEAREST_TRIES nearest, widening).
   */
  private placeDecoded(
    cell: unknown,
    decodedHash: string,
    seen: ReadonlySet<string>,
    inPool: ReadonlySet<string>,
  ): Omit<PoolEntry, "point" | "fromSteps" | "fromNeighbours" | "edits"> | null {
    const fresh = (hash: string) => !seen.has(hash) && !inPool.has(hash);
    const space = this.space;
    if (fresh(decodedHash) && (!isDomainSpace(space) || space.contains(cell))) {
      return { archString: space.format(cell), canonicalHash: decodedHash, snapDistance: 0 };
    }
    if (!isDomainSpace(space)) return null;
    // A decode outside the table, or a table cell already seen (a top cell's own encoding
    // decodes to it): the nearest unseen table cells stand for it.
    for (const k of NEAREST_TRIES) {
      for (const near of space.nearest(cell, k)) {
        const hash = space.canonicalHash(near);
        if (fresh(hash)) {
          return {
            archString: space.format(near),
            canonicalHash: hash,
            snapDistance: space.distance(cell, near),
          };
        }
      }
    }
    return null;
  }

  /** The cell a decoded graph stands for, or null when the space's fromDag rejects it. */
  private decodeCell(
    graphSpace: import("@nasvae/graph-vae").GraphSpace,
    graph: PaddedGraph,
  ): unknown {
    // unpadGraph's work, inline: importing @nasvae/graph-vae here would load TF.js eagerly.
    const pad = graphSpace.vocabulary.length;
    const kept = graph.classes.map((cls, i) => ({ cls, i })).filter(({ cls }) => cls !== pad);
    try {
      return this.space.fromDag({
        ops: kept.map(({ cls }) => cls),
        adjacency: kept.map(({ i }) => kept.map(({ i: j }) => graph.adjacency[i]?.[j] ?? 0)),
      });
    } catch {
      return null;
    }
  }

  /** Weights after unsupervised training on the space's cells, computed once per process. */
  private pretrainedSnapshot(): Promise<Uint8Array> {
    const { latentSize, pretrainSteps, costFeature, rankingWeight } = this.settings;
    const key = `${spaceKey(this.space)}/${latentSize}/${pretrainSteps}/${costFeature}/${rankingWeight}`;
    let entry = pretrained.get(key);
    if (!entry) {
      entry = (async () => {
        const { GraphVaeSession } = await import("@nasvae/graph-vae");
        const { createRandom } = await import("@nasvae/search-space");
        const { graphSpace, unlabelled, unlabelledFlops } = await spaceGraphs(this.space);
        const session = GraphVaeSession.create(
          graphSpace,
          unlabelled,
          {
            latentSize,
            robustTargets: true,
            costFeature,
            rankingWeight,
            // Where decoded edges decide the cell, reconstruction is summed per graph as in
            // D-VAE (averaged over 28 node pairs, the KL term drowns the 15 skip bits of ENAS-6),
            // with a 3e-3 learning rate: on ENAS-6, test reconstruction after 1,000 steps was
            // 3.6 % at 3e-3, 0.6 % at 1e-2, 0 % with the mean at 1e-3 (docs/graph-vae.md).
            ...(graphSpace.fixedAdjacency
              ? {}
              : { reconstruction: "sum" as const, learningRate: DECODED_TOPOLOGY_LEARNING_RATE }),
          },
          0,
          unlabelledFlops,
        );
        try {
          await session.train([], { steps: pretrainSteps, rng: createRandom(0) });
          return session.save();
        } finally {
          session.dispose();
        }
      })();
      pretrained.set(key, entry);
      entry.catch(() => pretrained.delete(key));
    }
    return entry;
  }
}

/** Adam's learning rate of the model on spaces whose edges are decoded (see pretrainedSnapshot). */
const DECODED_TOPOLOGY_LEARNING_RATE = 3e-3;

/** How many nearest domain cells a snapped decode looks through for an unseen one, in turn. */
const NEAREST_TRIES = [8, 64] as const;

interface PoolEntry {
  archString: string;
  canonicalHash: string;
  point: number[];
  fromSteps: boolean;
  /** A neighbour of a best cell (neighbourCentres), not a decode. */
  fromNeighbours: boolean;
  /** Node classes that differ from the nearest start cell (diagnostics). */
  edits: number;
  /** Standard mutations between the decoded cell and the proposed domain cell (0: the same). */
  snapDistance: number;
}

/** A seeded Fisher-Yates shuffle (a copy). */
function shuffled<T>(items: readonly T[], rng: Random): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** y ≈ slope x + intercept by least squares (slope 0 when x does not vary). */
function leastSquaresLine(
  x: readonly number[],
  y: readonly number[],
): { slope: number; intercept: number } {
  const n = x.length;
  const mx = x.reduce((s, v) => s + v, 0) / n;
  const my = y.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  x.forEach((xi, i) => {
    sxy += (xi - mx) * ((y[i] as number) - my);
    sxx += (xi - mx) ** 2;
  });
  const slope = sxx > 1e-12 ? sxy / sxx : 0;
  return { slope, intercept: my - slope * mx };
}
