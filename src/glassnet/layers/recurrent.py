"""Recurrent layers: a plain tanh RNN and an LSTM, trained by backpropagation through time.

Both read a batch of sequences ``(batch, time, features)`` one step at a time, carrying a
hidden state $h_t$ from step to step. Their forward passes keep every step's values in
the cache; the backward pass walks the steps in reverse (backpropagation through time, BPTT).

Two habits make them fast in NumPy: the input projection $x_t W_x + b$ of all steps is
one matrix product before the loop, and the weight gradients are one matrix product each
after the backward loop, so the loops hold only what truly depends on the previous step.
Inside, arrays are stored time-major, ``(time, batch, H)``, so that each step's slice is one
contiguous block of memory.
"""

from __future__ import annotations

import numpy as np

from glassnet._blas import split_product, tall_product
from glassnet._checks import as_float_array, check_positive_int
from glassnet.activations import sigmoid
from glassnet.layers.base import Layer


def orthogonal(n: int, rng: np.random.Generator) -> np.ndarray:
    """A random ``(n, n)`` orthogonal matrix: repeated products with it neither grow nor shrink."""
    q, r = np.linalg.qr(rng.normal(size=(n, n)))
    return q * np.sign(np.diag(r))  # The sign fix makes the draw uniform over rotations.


def _sigmoid_of_negated(a: np.ndarray) -> None:
    r"""Overwrite ``a`` = $-z$ with $\sigma(z) = 1 / (1 + e^{-z})$, in place (LSTM's fast path)."""
    np.exp(a, out=a)
    a += 1.0
    np.reciprocal(a, out=a)


class _Recurrent(Layer):
    """Shared constructor, input checks and output selection of ``RNN`` and ``LSTM``."""

    gates = 1  # Blocks of ``n_hidden`` columns in W_x, W_h and b.

    def __init__(self, n_in: int, n_hidden: int, return_sequences: bool = False,
                 rng=None) -> None:
        super().__init__()
        where = type(self).__name__
        self.n_in = check_positive_int(n_in, "n_in", where)
        self.n_hidden = check_positive_int(n_hidden, "n_hidden", where)
        self.return_sequences = bool(return_sequences)
        self.reset(rng if rng is not None else np.random.default_rng())

    @property
    def name(self) -> str:
        seq = ", return_sequences=True" if self.return_sequences else ""
        return f"{type(self).__name__}({self.n_in}, {self.n_hidden}{seq})"

    def config(self) -> dict:
        """Constructor arguments, enough to rebuild the layer (weights are stored apart)."""
        return {"n_in": self.n_in, "n_hidden": self.n_hidden,
                "return_sequences": self.return_sequences}

    def reset(self, rng: np.random.Generator) -> None:
        # Glorot-uniform input weights, orthogonal recurrent weights per gate block.
        H, k = self.n_hidden, self.gates
        limit = np.sqrt(6.0 / (self.n_in + H))
        dtype = self.params["W_x"].dtype if self.params else np.float64
        self.params = {
            "W_x": rng.uniform(-limit, limit, size=(self.n_in, k * H)).astype(dtype),
            "W_h": np.concatenate([orthogonal(H, rng) for _ in range(k)], axis=1).astype(dtype),
            "b": np.zeros(k * H, dtype=dtype),
        }
        self.grads = {key: np.zeros_like(val) for key, val in self.params.items()}
        self.cache = {}

    def output_shape(self, input_shape: tuple) -> tuple:
        T = input_shape[0]
        return (T, self.n_hidden) if self.return_sequences else (self.n_hidden,)

    def _check(self, x) -> np.ndarray:
        where = f"{self.name}.forward"
        x = as_float_array(x, where, dtype=self.params["W_x"].dtype)
        if x.ndim != 3:
            raise ValueError(f"{where}: expected a sequence batch of shape (batch, time, "
                             f"{self.n_in}) with 3 dimensions, got shape {x.shape}")
        if x.shape[2] != self.n_in:
            raise ValueError(f"{where}: expected {self.n_in} features on the last axis, "
                             f"got shape {x.shape}")
        return x

    def _project(self, x: np.ndarray) -> np.ndarray:
        """Check ``x``, cache it time-major and return ``x_t W_x + b`` for every step at once."""
        x = np.ascontiguousarray(self._check(x).transpose(1, 0, 2))  # (time, batch, n_in)
        self.cache = {"x": x}
        return x @ self.params["W_x"] + self.params["b"]             # (time, batch, k*H)

    def _output(self, hs: np.ndarray) -> np.ndarray:
        """States ``(time+1, batch, H)`` to ``(batch, time, H)``, or the last, ``(batch, H)``."""
        return hs[1:].transpose(1, 0, 2).copy() if self.return_sequences else hs[-1].copy()

    def _dh_per_step(self, dout: np.ndarray) -> np.ndarray:
        """Time-major ``dL/dh_t``; without sequences only the last step receives ``dout``."""
        if self.return_sequences:
            return dout.transpose(1, 0, 2)
        dhs = np.zeros((self.cache["x"].shape[0], *dout.shape), dtype=dout.dtype)
        dhs[-1] = dout
        return dhs

    def _weight_grads(self, dz: np.ndarray, h_prev: np.ndarray) -> np.ndarray:
        """Accumulate W_x, W_h, b gradients from all steps at once and return ``dx``."""
        x = self.cache["x"]
        dz2 = dz.reshape(-1, dz.shape[-1])              # (time*batch, k*H)
        self.grads["W_x"] += tall_product(x.reshape(-1, self.n_in), dz2)       # x^T dz
        self.grads["W_h"] += tall_product(h_prev.reshape(-1, self.n_hidden), dz2)  # h^T dz
        self.grads["b"] += dz2.sum(axis=0)
        return (dz @ self.params["W_x"].T).transpose(1, 0, 2)  # (batch, time, n_in)


class RNN(_Recurrent):
    r"""Elman recurrent layer with a tanh activation.

    $$ h_t = \tanh(x_t W_x + h_{t-1} W_h + b), \qquad h_0 = 0 $$

    Parameters ``W_x`` ``(n_in, H)``, ``W_h`` ``(H, H)``, ``b`` ``(H,)``. Input
    ``(batch, time, n_in)``; output ``(batch, H)`` (last state) or ``(batch, time, H)`` with
    ``return_sequences=True``.
    """

    # --8<-- [start:rnn_forward]
    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        xw = self._project(x)                            # (time, batch, H)
        W_h = self.params["W_h"]
        hs = np.zeros((xw.shape[0] + 1, *xw.shape[1:]), dtype=xw.dtype)  # hs[0] is h_0 = 0
        for t in range(xw.shape[0]):
            np.tanh(xw[t] + hs[t] @ W_h, out=hs[t + 1])
        self.cache["hs"] = hs
        return self._output(hs)
    # --8<-- [end:rnn_forward]

    def backward(self, dout: np.ndarray) -> np.ndarray:
        hs = self._cached("hs")
        dhs = self._dh_per_step(dout)
        W_h_T = self.params["W_h"].T
        dz = 1.0 - hs[1:] ** 2                           # tanh' = 1 - h^2, then times dh
        dh_next = np.zeros_like(hs[0])
        for t in reversed(range(dz.shape[0])):
            dz[t] *= dhs[t] + dh_next
            dh_next = dz[t] @ W_h_T
        return self._weight_grads(dz, hs[:-1])


class LSTM(_Recurrent):
    r"""Long short-term memory layer (Hochreiter and Schmidhuber, 1997).

    $$ [i_t, f_t, g_t, o_t] = [\sigma, \sigma, \tanh, \sigma](x_t W_x + h_{t-1} W_h + b) $$

    $$ c_t = f_t \odot c_{t-1} + i_t \odot g_t, \qquad h_t = o_t \odot \tanh(c_t) $$

    The gate blocks of ``W_x`` ``(n_in, 4H)``, ``W_h`` ``(H, 4H)`` and ``b`` ``(4H,)`` come
    in the order input, forget, cell, output. The forget gate $f_t$ is a later addition to
    the 1997 design (Gers, Schmidhuber and Cummins, 2000). Its bias starts at 1 (Jozefowicz
    et al., 2015), so the cell remembers by default early in training. Input and output
    shapes are those of ``RNN``.
    """

    gates = 4

    def reset(self, rng: np.random.Generator) -> None:
        super().reset(rng)
        H = self.n_hidden
        self.params["b"][H:2 * H] = 1.0  # Forget gate open at the start.

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        xw = self._project(x)                            # (time, batch, 4H): x_t W_x + b
        hs, cs, acts, tanh_c = self._steps_fast(xw)      # the same values as ``steps``
        self.cache.update(hs=hs, cs=cs, acts=acts, tanh_c=tanh_c)
        return self._output(hs)

    # --8<-- [start:lstm_forward]
    def steps(self, xw: np.ndarray):
        r"""Equations (3) to (6) for every step, from ``xw`` = $x_t W_x + b$ ``(time, batch,
        4H)``; returns the states $h$ and $c$ ``(time+1, batch, H)`` with $h_0 = c_0 = 0$,
        the gate values ``(time, batch, 4H)`` and $\tanh(c_t)$, which backward reuses."""
        T, H, W_h = xw.shape[0], self.n_hidden, self.params["W_h"]
        hs = np.zeros((T + 1, xw.shape[1], H), dtype=xw.dtype)  # hs[0] is h_0 = 0
        cs = np.zeros_like(hs)                           # cs[0] is c_0 = 0
        acts = np.empty_like(xw)                         # gate values i, f, g, o
        for t in range(T):
            z = xw[t] + hs[t] @ W_h                      # (batch, 4H), all four gates
            i, f, g, o = np.split(z, 4, axis=1)
            i, f, g, o = sigmoid(i), sigmoid(f), np.tanh(g), sigmoid(o)
            cs[t + 1] = f * cs[t] + i * g
            hs[t + 1] = o * np.tanh(cs[t + 1])
            acts[t] = np.concatenate([i, f, g, o], axis=1)
        return hs, cs, acts, np.tanh(cs[1:])
    # --8<-- [end:lstm_forward]

    # The loop the training runs: the same values as ``steps`` above, which the page shows,
    # in fewer NumPy calls, each writing into an array made before the loop
    # (tests/test_layers_recurrent.py checks that the two agree). Every activation comes
    # from np.exp, which costs about two thirds of np.tanh in float32 here:
    # sigma(z) = 1 / (1 + e^{-z}) and tanh(z) = 2 sigma(2z) - 1. ``scale`` holds -1 on the
    # columns of i, f, o and -2 on those of g, so 1 / (1 + exp(scale * z)) is sigma on i,
    # f, o and sigma(2z) on g; scaling x_t W_x + b and W_h before the loop scales z, exactly
    # (a power of two). Where e^{-z} overflows to inf, 1 / (1 + inf) = 0 is the right limit.
    def _steps_fast(self, xw: np.ndarray):
        (T, B, _), H = xw.shape, self.n_hidden
        scale = np.full(4 * H, -1.0, dtype=xw.dtype)
        scale[2 * H:3 * H] = -2.0
        xw *= scale                                      # xw is this call's own array
        W_h_scaled = self.params["W_h"] * scale
        hs = np.zeros((T + 1, B, H), dtype=xw.dtype)
        cs = np.zeros_like(hs)
        acts = np.empty_like(xw)
        tanh_c = np.empty_like(hs[1:])
        ig = np.empty((B, H), dtype=xw.dtype)
        with np.errstate(over="ignore"):
            for t in range(T):
                a, g, tc = acts[t], acts[t, :, 2 * H:3 * H], tanh_c[t]
                np.matmul(hs[t], W_h_scaled, out=a)
                a += xw[t]
                _sigmoid_of_negated(a)                   # sigma(z) on i, f, o; sigma(2z) on g
                g *= 2.0
                g -= 1.0                                 # tanh(z) on g
                np.multiply(a[:, H:2 * H], cs[t], out=cs[t + 1])        # f c_{t-1}
                np.multiply(a[:, :H], g, out=ig)                         # i g
                cs[t + 1] += ig
                np.multiply(cs[t + 1], -2.0, out=tc)
                _sigmoid_of_negated(tc)
                tc *= 2.0
                tc -= 1.0                                # tanh(c_t)
                np.multiply(a[:, 3 * H:], tc, out=hs[t + 1])            # o tanh(c_t)
        return hs, cs, acts, tanh_c

    def backward(self, dout: np.ndarray) -> np.ndarray:
        acts, cs, tanh_c = self._cached("acts"), self.cache["cs"], self.cache["tanh_c"]
        (T, B, _), H, W_h_T = acts.shape, self.n_hidden, self.params["W_h"].T
        dhs = self._dh_per_step(dout)
        f = acts[..., H:2 * H]
        dc_dh = acts[..., 3 * H:] * (1.0 - tanh_c ** 2)  # dh_t/dc_t = o_t (1 - tanh^2 c_t)
        coef = self._gate_coefficients(acts, cs[:-1], tanh_c)
        dz = np.empty_like(acts)
        dz_icg = dz[..., :3 * H].reshape(T, B, 3, H)     # views: writing them writes dz
        coef_icg = coef[..., :3 * H].reshape(T, B, 3, H)
        dh_next, dc_next = np.zeros_like(cs[0]), np.zeros_like(cs[0])
        dh, dc = np.empty_like(cs[0]), np.empty_like(cs[0])  # reused by every step
        for t in reversed(range(T)):
            np.add(dhs[t], dh_next, out=dh)
            np.multiply(dh, dc_dh[t], out=dc)
            dc += dc_next
            np.multiply(dc[:, None, :], coef_icg[t], out=dz_icg[t])  # di, df, dg from dc
            np.multiply(dh, coef[t, :, 3 * H:], out=dz[t, :, 3 * H:])  # do from dh
            np.multiply(dc, f[t], out=dc_next)
            split_product(dz[t], W_h_T, out=dh_next)     # dz_t W_h^T, as two pieces
        return self._weight_grads(dz, self.cache["hs"][:-1])

    def _gate_coefficients(self, acts, c_prev, tanh_c) -> np.ndarray:
        r"""For every step at once, what multiplies $\partial L/\partial c_t$ (for $i, f,
        g$) or $\partial L/\partial h_t$ (for $o$) to give each gate's pre-activation
        gradient: $[g\,\sigma'_i,\; c_{t-1}\sigma'_f,\; i\,\tanh'_g,\;
        \tanh(c_t)\,\sigma'_o]$ with $\sigma' = a(1-a)$ and $\tanh' = 1 - g^2$.
        Shapes ``(time, batch, 4H)``."""
        H = self.n_hidden
        i, g = acts[..., :H], acts[..., 2 * H:3 * H]
        coef = acts * (1.0 - acts)                       # sigma' on every block, g's fixed next
        coef[..., :H] *= g
        coef[..., H:2 * H] *= c_prev
        np.multiply(i, 1.0 - g * g, out=coef[..., 2 * H:3 * H])
        coef[..., 3 * H:] *= tanh_c
        return coef
