/**
 * The ten classes of the generated dataset, as shapes in their own frame: `paint(u, v)` says
 * what covers the point (u, v) of a shape centred on the origin, of radius about 1 and upright
 * (the renderer rotates, scales and places it): 0 nothing, 1 its colour, 2 its second colour
 * (the two-colour patterns). Only +, -, *, / and Math.floor: exact in IEEE arithmetic, so the
 * images are identical on every machine (Math.sin and friends are not specified to the bit).
 */
export interface ShapeClass {
  readonly name: string;
  paint(u: number, v: number): 0 | 1 | 2;
}

const HALF_SQRT_3 = Math.sqrt(3) / 2;

export const SHAPE_CLASSES: readonly ShapeClass[] = [
  { name: "disk", paint: (u, v) => (u * u + v * v <= 0.64 ? 1 : 0) },
  {
    name: "ring",
    paint: (u, v) => {
      const d = u * u + v * v;
      return d >= 0.36 && d <= 1 ? 1 : 0;
    },
  },
  { name: "square", paint: (u, v) => (Math.abs(u) <= 0.7 && Math.abs(v) <= 0.7 ? 1 : 0) },
  {
    name: "square-outline",
    paint: (u, v) => {
      const m = Math.max(Math.abs(u), Math.abs(v));
      return m >= 0.5 && m <= 0.85 ? 1 : 0;
    },
  },
  {
    // Equilateral, circumradius 1: inside the three edges at distance 0.5 from the centre.
    name: "triangle",
    paint: (u, v) =>
      v <= 0.5 && -HALF_SQRT_3 * u - 0.5 * v <= 0.5 && HALF_SQRT_3 * u - 0.5 * v <= 0.5 ? 1 : 0,
  },
  {
    name: "cross",
    paint: (u, v) => {
      const a = Math.abs(u);
      const b = Math.abs(v);
      return (a <= 0.22 && b <= 0.95) || (b <= 0.22 && a <= 0.95) ? 1 : 0;
    },
  },
  {
    // A round patch of stripes in two colours.
    name: "stripes",
    paint: (u, v) => {
      if (u * u + v * v > 0.81) return 0;
      return Math.floor((u + 1) * 2.5) % 2 === 0 ? 1 : 2;
    },
  },
  {
    // A square patch of 4x4 cells in two colours.
    name: "checkerboard",
    paint: (u, v) => {
      if (Math.abs(u) > 0.8 || Math.abs(v) > 0.8) return 0;
      return (Math.floor((u + 0.8) * 2.5) + Math.floor((v + 0.8) * 2.5)) % 2 === 0 ? 1 : 2;
    },
  },
  {
    name: "crescent",
    paint: (u, v) => (u * u + v * v <= 0.7225 && (u - 0.4) * (u - 0.4) + v * v > 0.49 ? 1 : 0),
  },
  { name: "bar", paint: (u, v) => (Math.abs(u) <= 0.95 && Math.abs(v) <= 0.2 ? 1 : 0) },
];
