// The campaign page's plots, drawn as inline SVG. Every function returns a new <svg> element;
// text goes in through textContent only, so nothing from the API can become markup.
// Points carry data-testid attributes (and classes such as "pareto") that the UI test counts.

const SVG_NS = "http://www.w3.org/2000/svg";
const WIDTH = 560;
const HEIGHT = 340;
const MARGIN = { left: 58, right: 18, top: 16, bottom: 60 };

/** Distinct colours for rounds (cycled) and for the cell's operations. */
const ROUND_COLOURS = [
  "#2563eb",
  "#ea580c",
  "#16a34a",
  "#dc2626",
  "#9333ea",
  "#0891b2",
  "#ca8a04",
  "#db2777",
  "#4b5563",
  "#65a30d",
];
const OPERATIONS = {
  skip_connect: { label: "skip", colour: "#64748b" },
  nor_conv_1x1: { label: "conv 1×1", colour: "#0891b2" },
  nor_conv_3x3: { label: "conv 3×3", colour: "#7c3aed" },
  avg_pool_3x3: { label: "avg pool 3×3", colour: "#ea580c" },
};

/** Readable names of node operations (ENAS-6 cells: ops on nodes, edges only carry data). */
const NODE_LABELS = {
  conv3x3: "conv 3×3",
  sep_conv3x3: "sep conv 3×3",
  conv5x5: "conv 5×5",
  sep_conv5x5: "sep conv 5×5",
  avg_pool3x3: "avg pool 3×3",
  max_pool3x3: "max pool 3×3",
};

/** An SVG element with attributes and children (strings become text nodes). */
export function svg(tag, attributes = {}, children = []) {
  const element = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined && value !== null) element.setAttribute(name, String(value));
  }
  for (const child of children) {
    element.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return element;
}

/** A tooltip: the <title> child that browsers show on hover. */
function tooltip(text) {
  return svg("title", {}, [text]);
}

/** About `count` round tick values covering [min, max]. */
function ticks(min, max, count = 6) {
  const span = max - min;
  if (!(span > 0)) return [min];
  const rough = span / count;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => span / s <= count) ?? rough;
  const values = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) {
    values.push(Number(v.toPrecision(12)));
  }
  return values;
}

function quantile(sorted, q) {
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
}

/**
 * An axis range for accuracies. A few broken cells (10 % on CIFAR-10) would squash every
 * interesting point into a thin band, so the low end stops at 1.5 interdecile ranges below the
 * 10th percentile; points below it are drawn on the axis, hollow, and counted in a note.
 */
function robustRange(values) {
  if (values.length === 0) return { min: 0, max: 100 };
  const sorted = [...values].sort((a, b) => a - b);
  const spread = Math.max(quantile(sorted, 0.9) - quantile(sorted, 0.1), 1);
  const min = Math.max(sorted[0], quantile(sorted, 0.1) - 1.5 * spread);
  const max = sorted[sorted.length - 1];
  const pad = Math.max((max - min) * 0.04, 0.1);
  return { min: min - pad, max: max + pad };
}

function paddedRange(values, floorAtZero = false) {
  if (values.length === 0) return { min: 0, max: 1 };
  const min = Math.min(...values);
  const max = Math.max(...values);
  const pad = Math.max((max - min) * 0.05, Math.abs(max) * 0.02, 1e-9);
  return { min: floorAtZero ? Math.max(0, min - pad) : min - pad, max: max + pad };
}

/**
 * A plot frame: grid, axes with ticks and labels, and a note line under the x axis's label.
 * `x` and `y` are {min, max, label, format}; `key` makes the clip path's id unique where one
 * page draws several plots of a kind.
 * Returns the <svg>, the scales, and a layer to draw into (clipped to the plot area).
 */
function frame(x, y, testId, key = testId) {
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const sx = (v) => MARGIN.left + ((v - x.min) / (x.max - x.min || 1)) * plotWidth;
  const sy = (v) => MARGIN.top + plotHeight - ((v - y.min) / (y.max - y.min || 1)) * plotHeight;
  const root = svg("svg", {
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
    role: "img",
    "aria-label": `${y.label} against ${x.label}`,
    "data-testid": testId,
  });
  const grid = svg("g", { class: "grid" });
  const axes = svg("g", { class: "axis" });
  for (const v of ticks(x.min, x.max)) {
    grid.append(svg("line", { x1: sx(v), x2: sx(v), y1: MARGIN.top, y2: MARGIN.top + plotHeight }));
    axes.append(
      svg("line", { x1: sx(v), x2: sx(v), y1: sy(y.min), y2: sy(y.min) + 4 }),
      svg("text", { x: sx(v), y: sy(y.min) + 16, "text-anchor": "middle" }, [x.format(v)]),
    );
  }
  for (const v of ticks(y.min, y.max, 5)) {
    grid.append(
      svg("line", { x1: MARGIN.left, x2: MARGIN.left + plotWidth, y1: sy(v), y2: sy(v) }),
    );
    axes.append(
      svg("line", { x1: MARGIN.left - 4, x2: MARGIN.left, y1: sy(v), y2: sy(v) }),
      svg("text", { x: MARGIN.left - 7, y: sy(v) + 4, "text-anchor": "end" }, [y.format(v)]),
    );
  }
  axes.append(
    svg("path", {
      d: `M${MARGIN.left},${MARGIN.top} V${MARGIN.top + plotHeight} H${MARGIN.left + plotWidth}`,
      fill: "none",
    }),
    svg(
      "text",
      { class: "label", x: MARGIN.left + plotWidth / 2, y: HEIGHT - 26, "text-anchor": "middle" },
      [x.label],
    ),
    svg(
      "text",
      {
        class: "label",
        x: -(MARGIN.top + plotHeight / 2),
        y: 14,
        transform: "rotate(-90)",
        "text-anchor": "middle",
      },
      [y.label],
    ),
  );
  const clipId = `clip-${key}`;
  const layer = svg("g", { "clip-path": `url(#${clipId})` });
  root.append(
    svg("defs", {}, [
      svg("clipPath", { id: clipId }, [
        svg("rect", {
          x: MARGIN.left - 6,
          y: MARGIN.top - 6,
          width: plotWidth + 12,
          height: plotHeight + 12,
        }),
      ]),
    ]),
    grid,
    axes,
    layer,
  );
  const note = (text) =>
    root.append(
      svg(
        "text",
        {
          class: "note",
          x: MARGIN.left + plotWidth,
          y: HEIGHT - 6,
          "text-anchor": "end",
        },
        [text],
      ),
    );
  return { root, sx, sy, layer, note };
}

/** An empty plot's stand-in. */
export function placeholder(text) {
  const element = document.createElement("p");
  element.className = "placeholder";
  element.textContent = text;
  return element;
}

const percent = (v) => `${Number(v.toFixed(2))}`;
const megaFormat = (v) => `${Number(v.toFixed(1))}`;
/** "–" where there is no figure (the enas-6-table evaluator has no test accuracy). */
const formatAccuracy = (v) => (v === null || v === undefined ? "–" : `${v.toFixed(2)} %`);
const formatFlops = (v) => `${(v / 1e6).toFixed(1)} MFLOPs`;

/** A point's y, held inside the range; `clamped` when it lay below it. */
function clampY(value, range) {
  return value < range.min ? { y: range.min, clamped: true } : { y: value, clamped: false };
}

/**
 * Best validation accuracy so far (step line) against evaluations spent, over every evaluation
 * (dots, in the order recorded; the ones that raised the best are filled blue).
 * `evaluations` are in recorded order.
 */
export function progressPlot(evaluations, budget) {
  if (evaluations.length === 0) return placeholder("no evaluation yet");
  const accuracies = evaluations.map((e) => e.validationAccuracy);
  const x = {
    min: 0,
    max: Math.max(budget, evaluations.length),
    label: "evaluations",
    format: String,
  };
  const yRange = robustRange(accuracies);
  const y = { ...yRange, label: "validation accuracy (%)", format: percent };
  const { root, sx, sy, layer, note } = frame(x, y, "progress-svg");
  let best = Number.NEGATIVE_INFINITY;
  let line = "";
  let clampedCount = 0;
  evaluations.forEach((evaluation, i) => {
    const improved = evaluation.validationAccuracy > best;
    if (improved) {
      best = evaluation.validationAccuracy;
      line += line === "" ? `M${sx(i + 1)},${sy(best)}` : ` V${sy(best)}`;
    }
    line += ` H${sx(i + 1)}`;
    const { y: shown, clamped } = clampY(evaluation.validationAccuracy, yRange);
    if (clamped) clampedCount += 1;
    layer.append(
      svg(
        "circle",
        {
          class: `point${improved ? " improved" : ""}${clamped ? " clamped" : ""}`,
          "data-testid": "progress-point",
          cx: sx(i + 1),
          cy: sy(shown),
          r: improved ? 3.5 : 2.5,
        },
        [
          tooltip(
            `#${i + 1}: ${formatAccuracy(evaluation.validationAccuracy)}  ${evaluation.architecture}`,
          ),
        ],
      ),
    );
  });
  layer.append(svg("path", { class: "best-line", "data-testid": "progress-line", d: line }));
  if (clampedCount > 0) note(`${clampedCount} below ${percent(yRange.min)} % drawn on the axis`);
  return root;
}

/**
 * Validation accuracy against FLOPs for every evaluation; the Pareto front (by architectureId)
 * in red, joined by its staircase.
 */
export function scatterPlot(evaluations, front) {
  if (evaluations.length === 0) return placeholder("no evaluation yet");
  const onFront = new Set(front.map((item) => item.architectureId));
  const xRange = paddedRange(
    evaluations.map((e) => e.flops / 1e6),
    true,
  );
  const yRange = robustRange(evaluations.map((e) => e.validationAccuracy));
  const { root, sx, sy, layer, note } = frame(
    { ...xRange, label: "FLOPs (millions of multiply-accumulates)", format: megaFormat },
    { ...yRange, label: "validation accuracy (%)", format: percent },
    "scatter-svg",
  );
  let clampedCount = 0;
  // The front last, so that it is drawn on top.
  const ordered = [
    ...evaluations.filter((e) => !onFront.has(e.architectureId)),
    ...evaluations.filter((e) => onFront.has(e.architectureId)),
  ];
  for (const evaluation of ordered) {
    const pareto = onFront.has(evaluation.architectureId);
    const { y: shown, clamped } = clampY(evaluation.validationAccuracy, yRange);
    if (clamped) clampedCount += 1;
    layer.append(
      svg(
        "circle",
        {
          class: `point${pareto ? " pareto" : ""}${clamped ? " clamped" : ""}`,
          "data-testid": "scatter-point",
          "data-architecture-id": evaluation.architectureId,
          cx: sx(evaluation.flops / 1e6),
          cy: sy(shown),
          r: pareto ? 4.5 : 3,
        },
        [
          tooltip(
            `${evaluation.architecture}\nvalidation ${formatAccuracy(evaluation.validationAccuracy)}, test ${formatAccuracy(evaluation.testAccuracy)}, ${formatFlops(evaluation.flops)}`,
          ),
        ],
      ),
    );
  }
  const steps = [...front].sort((a, b) => a.flops - b.flops);
  if (steps.length > 0) {
    let d = `M${sx(steps[0].flops / 1e6)},${sy(Math.max(steps[0].validationAccuracy, yRange.min))}`;
    for (const item of steps.slice(1)) {
      d += ` H${sx(item.flops / 1e6)} V${sy(Math.max(item.validationAccuracy, yRange.min))}`;
    }
    layer.insertBefore(
      svg("path", { class: "pareto-line", "data-testid": "pareto-line", d }),
      layer.firstChild,
    );
  }
  if (clampedCount > 0) note(`${clampedCount} below ${percent(yRange.min)} % drawn on the axis`);
  return root;
}

/**
 * The model's predicted validation accuracy against the measured one, one colour per round,
 * with the line y = x (a perfect predictor). `points`: {predicted, measured, round, architecture}.
 */
export function predictionPlot(points) {
  if (points.length === 0) {
    return placeholder("no predictions yet (only model-based rounds predict accuracy)");
  }
  const range = robustRange(points.flatMap((p) => [p.predicted, p.measured]));
  const { root, sx, sy, layer, note } = frame(
    { ...range, label: "predicted validation accuracy (%)", format: percent },
    { ...range, label: "measured validation accuracy (%)", format: percent },
    "prediction-svg",
  );
  layer.append(
    svg("line", {
      class: "identity",
      "data-testid": "identity-line",
      x1: sx(range.min),
      y1: sy(range.min),
      x2: sx(range.max),
      y2: sy(range.max),
    }),
  );
  let clampedCount = 0;
  for (const point of points) {
    const clamped = point.predicted < range.min || point.measured < range.min;
    if (clamped) clampedCount += 1;
    layer.append(
      svg(
        "circle",
        {
          class: "prediction",
          "data-testid": "prediction-point",
          "data-round": point.round,
          cx: sx(Math.max(point.predicted, range.min)),
          cy: sy(Math.max(point.measured, range.min)),
          r: 3.5,
          fill: roundColour(point.round),
          "fill-opacity": clamped ? 0 : 0.85,
          stroke: roundColour(point.round),
        },
        [
          tooltip(
            `round ${point.round}: predicted ${formatAccuracy(point.predicted)}, measured ${formatAccuracy(point.measured)}\n${point.architecture}`,
          ),
        ],
      ),
    );
  }
  const rounds = [...new Set(points.map((p) => p.round))].sort((a, b) => a - b);
  const shown = rounds.length > 12 ? [...rounds.slice(0, 5), null, ...rounds.slice(-5)] : rounds;
  const legend = svg("g", { class: "legend" });
  shown.forEach((round, i) => {
    const y = MARGIN.top + 10 + i * 15;
    if (round === null) {
      legend.append(svg("text", { x: MARGIN.left + 20, y: y + 4 }, ["…"]));
      return;
    }
    legend.append(
      svg("circle", { cx: MARGIN.left + 12, cy: y, r: 4, fill: roundColour(round) }),
      svg("text", { x: MARGIN.left + 20, y: y + 4 }, [`round ${round}`]),
    );
  });
  root.append(legend);
  note(
    `y = x: a perfect predictor${clampedCount > 0 ? `; ${clampedCount} outside, on the axis` : ""}`,
  );
  return root;
}

const CURVES = [
  { field: "validationAccuracy", name: "validation", className: "validation" },
  { field: "trainAccuracy", name: "train", className: "train" },
];

/**
 * A learning curve: validation and train accuracy against the epoch, one line each with a dot
 * per epoch. `curve`: the points of GET /architectures/:id ({epoch, trainAccuracy,
 * validationAccuracy, ...}, by epoch; either accuracy may be null). `key`: unique on the page.
 */
export function learningCurvePlot(curve, key) {
  const series = CURVES.map((line) => ({
    ...line,
    points: curve
      .filter((p) => typeof p[line.field] === "number")
      .map((p) => ({ epoch: p.epoch, value: p[line.field] })),
  })).filter((line) => line.points.length > 0);
  if (series.length === 0) return placeholder("no accuracy recorded per epoch");
  const epochs = curve.map((p) => p.epoch);
  const lastEpoch = Math.max(...epochs);
  const x = {
    min: Math.min(1, ...epochs) - 0.2,
    max: lastEpoch + 0.2,
    label: "epoch",
    format: (v) => (Number.isInteger(v) ? String(v) : ""),
  };
  const y = {
    ...paddedRange(series.flatMap((line) => line.points.map((p) => p.value))),
    label: "accuracy (%)",
    format: percent,
  };
  const { root, sx, sy, layer, note } = frame(x, y, "curve-svg", `curve-${key}`);
  for (const line of series) {
    const d = line.points
      .map((p, i) => `${i === 0 ? "M" : "L"}${sx(p.epoch)},${sy(p.value)}`)
      .join(" ");
    layer.append(
      svg("path", {
        class: `curve-line ${line.className}`,
        "data-testid": "curve-line",
        "data-series": line.name,
        d,
      }),
    );
    for (const point of line.points) {
      layer.append(
        svg(
          "circle",
          {
            class: `curve-point ${line.className}`,
            "data-testid": "curve-point",
            "data-series": line.name,
            cx: sx(point.epoch),
            cy: sy(point.value),
            r: 3,
          },
          [tooltip(`epoch ${point.epoch}: ${line.name} ${formatAccuracy(point.value)}`)],
        ),
      );
    }
  }
  const legend = svg("g", { class: "legend" });
  series.forEach((line, i) => {
    const yAt = HEIGHT - MARGIN.bottom - 12 - i * 15;
    const xAt = WIDTH - MARGIN.right - 90;
    legend.append(
      svg("line", {
        class: `curve-line ${line.className}`,
        x1: xAt,
        x2: xAt + 18,
        y1: yAt,
        y2: yAt,
      }),
      svg("text", { x: xAt + 24, y: yAt + 4 }, [line.name]),
    );
  });
  root.append(legend);
  note(`${curve.length} epoch${curve.length === 1 ? "" : "s"}`);
  return root;
}

export function roundColour(round) {
  return ROUND_COLOURS[round % ROUND_COLOURS.length];
}

/**
 * A cell drawn from its drawing model ({nodes: {id, label}[], edges: {from, to, op}[]}, nodes in
 * topological order): nodes left to right; an edge between neighbours is straight, longer ones
 * arc above (even spans) or below (odd spans), higher the longer they are.
 */
export function cellGraphPlot(graph) {
  const width = WIDTH;
  const height = 250;
  const radius = 21;
  const count = graph.nodes.length;
  const gap = count > 1 ? (width - 2 * 50) / (count - 1) : 0;
  const position = new Map(
    graph.nodes.map((node, i) => [node.id, { x: 50 + i * gap, y: height / 2 }]),
  );
  const index = new Map(graph.nodes.map((node, i) => [node.id, i]));
  const spanOf = (edge) => Math.abs((index.get(edge.to) ?? 0) - (index.get(edge.from) ?? 0));
  // Arcs rise by span; long skips (ENAS-6 cells: up to 6 nodes) are flattened to stay inside.
  const maxSpan = Math.max(1, ...graph.edges.map(spanOf));
  const liftPerSpan = Math.min(34, (height / 2 - 22) / maxSpan);
  const root = svg("svg", {
    viewBox: `0 0 ${width} ${height}`,
    role: "img",
    "aria-label": `the cell: ${graph.edges.map((e) => `${e.from} to ${e.to} ${e.op ?? ""}`).join(", ")}`,
    "data-testid": "cell-svg",
  });
  const defs = svg("defs");
  const markers = new Map();
  const marker = (colour) => {
    if (!markers.has(colour)) {
      const id = `arrow-${markers.size}`;
      markers.set(colour, id);
      defs.append(
        svg(
          "marker",
          {
            id,
            viewBox: "0 0 10 10",
            refX: 10,
            refY: 5,
            markerWidth: 11,
            markerHeight: 11,
            markerUnits: "userSpaceOnUse",
            orient: "auto",
          },
          [svg("path", { d: "M0,0 L10,5 L0,10 z", fill: colour })],
        ),
      );
    }
    return markers.get(colour);
  };
  root.append(defs);
  const edges = svg("g");
  for (const edge of graph.edges) {
    const from = position.get(edge.from);
    const to = position.get(edge.to);
    if (!from || !to) continue;
    const span = spanOf(edge);
    const lift = span <= 1 ? 0 : (span % 2 === 0 ? -1 : 1) * liftPerSpan * span;
    // Quadratic curve through the control point; its middle lies at half the control's lift.
    const control = { x: (from.x + to.x) / 2, y: from.y + 2 * lift };
    const start = towards(from, span <= 1 ? to : control, radius);
    const end = towards(to, span <= 1 ? from : control, radius + 1);
    const middle = {
      x: (start.x + 2 * control.x + end.x) / 4,
      y: (start.y + 2 * control.y + end.y) / 4,
    };
    const known = OPERATIONS[edge.op];
    const colour = known?.colour ?? "#334155";
    const label = known?.label ?? edge.op ?? "";
    edges.append(
      svg("g", { class: "cell-edge", "data-testid": "cell-edge", "data-op": edge.op ?? "" }, [
        tooltip(`${edge.from} → ${edge.to}: ${edge.op ?? "edge"}`),
        svg("path", {
          d: `M${start.x},${start.y} Q${control.x},${control.y} ${end.x},${end.y}`,
          stroke: colour,
          "marker-end": `url(#${marker(colour)})`,
        }),
        svg(
          "text",
          {
            x: middle.x,
            y: span <= 1 ? middle.y - 9 : middle.y + (lift < 0 ? -6 : 14),
            "text-anchor": "middle",
            fill: colour,
          },
          [label],
        ),
      ]),
    );
  }
  const nodes = svg("g");
  // Close nodes (ENAS-6 cells: 8 of them) would run their labels into each other: every other
  // label goes a line lower.
  const staggered = gap < 100;
  for (const [i, node] of graph.nodes.entries()) {
    const at = position.get(node.id);
    const label = NODE_LABELS[node.label] ?? node.label;
    const labelY = at.y + radius + 16 + (staggered && i % 2 === 1 ? 14 : 0);
    nodes.append(
      svg("g", { class: "cell-node", "data-testid": "cell-node" }, [
        svg("circle", { cx: at.x, cy: at.y, r: radius }),
        // Short labels inside the node; longer ones ("input") under it, with the id inside.
        svg("text", { x: at.x, y: at.y + 4, "text-anchor": "middle" }, [
          label.length <= 3 ? label : String(node.id),
        ]),
        ...(label.length > 3
          ? [svg("text", { x: at.x, y: labelY, "text-anchor": "middle" }, [label])]
          : []),
        tooltip(label),
      ]),
    );
  }
  root.append(edges, nodes);
  return root;
}

/** The point at `distance` from `point` in the direction of `target`. */
function towards(point, target, distance) {
  const dx = target.x - point.x;
  const dy = target.y - point.y;
  const length = Math.hypot(dx, dy) || 1;
  return { x: point.x + (dx / length) * distance, y: point.y + (dy / length) * distance };
}
