import type { Conv2DGeometry } from "./wasm-backend.ts";

/**
 * Calls `visit(outputPixel, inputPixels)` for every output pixel of a pooling, with the flat
 * pixel indices (b·H·W + h·W + w) of the window's taps that lie inside the input, in row-major
 * window order. The array is reused between calls.
 */
export function forEachWindow(
  g: Conv2DGeometry,
  visit: (outputPixel: number, inputPixels: number[], count: number) => void,
): void {
  const taps: number[] = new Array(g.filterHeight * g.filterWidth).fill(0);
  for (let b = 0; b < g.batch; b++) {
    for (let oh = 0; oh < g.outHeight; oh++) {
      for (let ow = 0; ow < g.outWidth; ow++) {
        let count = 0;
        for (let i = 0; i < g.filterHeight; i++) {
          const h = oh * g.strideHeight + i * g.dilationHeight - g.padTop;
          if (h < 0 || h >= g.inHeight) continue;
          for (let j = 0; j < g.filterWidth; j++) {
            const w = ow * g.strideWidth + j * g.dilationWidth - g.padLeft;
            if (w < 0 || w >= g.inWidth) continue;
            taps[count++] = (b * g.inHeight + h) * g.inWidth + w;
          }
        }
        visit((b * g.outHeight + oh) * g.outWidth + ow, taps, count);
      }
    }
  }
}
