// The forward pass of a small CNN that glassnet trained: convolution, ReLU, max pooling,
// dense and softmax, nothing else (no training). The layers and their weights come from
// glassnet_site.interactive.digits.export_layers; tests/site/test_digit_explorer.py feeds
// this module fixed inputs and checks every layer's output against glassnet's to 1e-6.
// A tensor is {data: Float64Array, shape: [channels, height, width]} or {data, shape: [n]}.

// Equation (1) of the CNN page for every output channel f:
// z[f, r, q] = b[f] + sum over c, i, j of W[f, c, i, j] x[c, r s + i - p, q s + j - p],
// where pixels outside the image (the padding) are zero.
export function conv2d(x, {shape, W, b, stride, padding}) {
  const [F, C, k] = shape;
  const [, H, Wd] = x.shape;
  const Ho = Math.floor((H + 2 * padding - k) / stride) + 1;
  const Wo = Math.floor((Wd + 2 * padding - k) / stride) + 1;
  const out = new Float64Array(F * Ho * Wo);
  for (let f = 0; f < F; f++) {
    for (let r = 0; r < Ho; r++) {
      for (let q = 0; q < Wo; q++) {
        let z = b[f];
        for (let c = 0; c < C; c++) {
          for (let i = 0; i < k; i++) {
            const row = r * stride + i - padding;
            if (row < 0 || row >= H) continue;
            for (let j = 0; j < k; j++) {
              const col = q * stride + j - padding;
              if (col < 0 || col >= Wd) continue;
              z += W[((f * C + c) * k + i) * k + j] * x.data[(c * H + row) * Wd + col];
            }
          }
        }
        out[(f * Ho + r) * Wo + q] = z;
      }
    }
  }
  return {data: out, shape: [F, Ho, Wo]};
}

export function relu(x) {
  return {data: x.data.map((v) => (v > 0 ? v : 0)), shape: x.shape};
}

// The largest value of each kernel x kernel window, windows `stride` apart.
export function maxPool(x, {kernel, stride}) {
  const [C, H, W] = x.shape;
  const Ho = Math.floor((H - kernel) / stride) + 1;
  const Wo = Math.floor((W - kernel) / stride) + 1;
  const out = new Float64Array(C * Ho * Wo);
  for (let c = 0; c < C; c++) {
    for (let r = 0; r < Ho; r++) {
      for (let q = 0; q < Wo; q++) {
        let best = -Infinity;
        for (let i = 0; i < kernel; i++) {
          for (let j = 0; j < kernel; j++) {
            best = Math.max(best, x.data[(c * H + r * stride + i) * W + q * stride + j]);
          }
        }
        out[(c * Ho + r) * Wo + q] = best;
      }
    }
  }
  return {data: out, shape: [C, Ho, Wo]};
}

// z = x W + b for one example: x of length n_in (row-major, as Flatten leaves it), W of
// shape (n_in, n_out) stored row-major.
export function dense(x, {shape, W, b}) {
  const [nIn, nOut] = shape;
  const out = Float64Array.from(b);
  for (let i = 0; i < nIn; i++) {
    const xi = x.data[i];
    for (let o = 0; o < nOut; o++) out[o] += xi * W[i * nOut + o];
  }
  return {data: out, shape: [nOut]};
}

// softmax(z)_i = exp(z_i - m) / sum_j exp(z_j - m), with m the largest z_j.
export function softmax(z) {
  const m = Math.max(...z.data);
  const e = z.data.map((v) => Math.exp(v - m));
  const total = e.reduce((a, v) => a + v, 0);
  return {data: e.map((v) => v / total), shape: z.shape};
}

const LAYERS = {
  conv2d: conv2d,
  relu: (x) => relu(x),
  maxpool: maxPool,
  flatten: (x) => ({data: x.data, shape: [x.data.length]}), // row-major already: a new shape only
  dense: dense,
  softmax: (x) => softmax(x),
};

// Every layer's output, in order, for one image `x` of shape [channels, height, width].
export function forward(layers, x) {
  const outputs = [];
  for (const layer of layers) {
    const step = LAYERS[layer.type];
    if (!step)
      throw new Error(
        `gn-cnn: no layer of type "${layer.type}" (expected one of ${Object.keys(LAYERS).join(", ")})`,
      );
    x = step(x, layer);
    outputs.push(x);
  }
  return outputs;
}
