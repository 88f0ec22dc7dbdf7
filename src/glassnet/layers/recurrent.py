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

from glassnet._checks import as_float_array, check_positive_int
from glassnet.layers.base import Layer


def orthogonal(n: int, rng: np.random.Generator) -> np.ndarray:
    """A random ``(n, n)`` orthogonal matrix: repeated products with it neither grow nor shrink."""
    q, r = np.linalg.qr(rng.normal(size=(n, n)))
    return q * np.sign(np.diag(r))  # The sign fix makes the draw uniform over rotations.


def fast_sigmoid(z: np.ndarray) -> np.ndarray:
    r"""Sigmoid through $\sigma(z) = \tfrac12(1 + \tanh(z/2))$: stable and one ufunc."""
    return 0.5 * (1.0 + np.tanh(0.5 * z))


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
        self.grads["W_x"] += x.reshape(-1, self.n_in).T @ dz2
        self.grads["W_h"] += h_prev.reshape(-1, self.n_hidden).T @ dz2
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

    # --8<-- [start:lstm_forward]
    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        xw = self._project(x)                            # (time, batch, 4H)
        T, H, W_h = xw.shape[0], self.n_hidden, self.params["W_h"]
        acts = np.empty_like(xw)                         # gate values i, f, g, o
        hs = np.zeros((T + 1, xw.shape[1], H), dtype=xw.dtype)  # hs[0] is h_0 = 0
        cs = np.zeros_like(hs)                           # cs[0] is c_0 = 0
        tanh_c = np.empty_like(hs[1:])
        for t in range(T):
            z = xw[t] + hs[t] @ W_h
            i, f, g, o = (acts[t, :, k * H:(k + 1) * H] for k in range(4))
            acts[t] = fast_sigmoid(z)
            np.tanh(z[:, 2 * H:3 * H], out=g)
            np.multiply(f, cs[t], out=cs[t + 1])
            cs[t + 1] += i * g
            np.tanh(cs[t + 1], out=tanh_c[t])
            np.multiply(o, tanh_c[t], out=hs[t + 1])
        self.cache.update(hs=hs, cs=cs, acts=acts, tanh_c=tanh_c)
        return self._output(hs)
    # --8<-- [end:lstm_forward]

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
        for t in reversed(range(T)):
            dh = dhs[t] + dh_next
            dc = dh * dc_dh[t]
            dc += dc_next
            np.multiply(dc[:, None, :], coef_icg[t], out=dz_icg[t])  # di, df, dg from dc
            np.multiply(dh, coef[t, :, 3 * H:], out=dz[t, :, 3 * H:])  # do from dh
            dc_next = dc * f[t]
            dh_next = dz[t] @ W_h_T
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
