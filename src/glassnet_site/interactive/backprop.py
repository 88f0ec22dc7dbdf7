"""Data of the backpropagation stepper: the 2-2-1 example of the backpropagation page.

Every number is computed here by glassnet (``Dense``, ``Sigmoid``, ``MSE``, ``SGD``), on the
page's worked example (``figures.backprop``), and the steps are written out in order: the
forward pass node by node, the backward pass as *local derivative times upstream gradient*,
then one gradient-descent update and the loss after it. The browser only shows them.

Each backward step carries its ``terms``, pairs ``[local, upstream]`` whose products add up
to the step's ``value``; a test checks that, and that the values are glassnet's.
"""

from __future__ import annotations

from glassnet import activations, optimizers
from glassnet_site.figures.backprop import B1, B2, W1, W2, X, Y, worked_example, worked_network

LR = 0.5  # the update's learning rate

SUB = "\u2081\u2082"  # subscripts 1, 2
MINUS, TIMES, PARTIAL = "\u2212", "\u00d7", "\u2202"
# The page's names (docs/reference/notation.md): entries of z_1, a_1, W_1, b_1, W_2; b_2, y-hat.
Z1, A1, W1S, B1S, W2S, B2S, YH = ("(z\u2081)", "(a\u2081)", "(W\u2081)", "(b\u2081)", "(W\u2082)",
                                  "b\u2082", "\u0177")


def num(v: float) -> str:
    """Four decimals, with a true minus sign, as the page prints numbers."""
    return f"{v:.4f}".replace("-", MINUS)


def term(v: float) -> str:
    """A number inside a sum or product: negative ones in parentheses."""
    return f"({num(v)})" if v < 0 else num(v)


def run(lr: float = LR) -> dict:
    """Forward, backward and one SGD step of the example; every array as glassnet made it."""
    ex = worked_example()
    dense1, sigmoid, dense2, mse = worked_network()
    grads = {"W1": ex["dW1"], "b1": ex["db1"], "W2": ex["dW2"], "b2": ex["db2"]}
    dense1.grads.update(W=grads["W1"].copy(), b=grads["b1"].copy())
    dense2.grads.update(W=grads["W2"].copy(), b=grads["b2"].copy())
    optimizers.SGD(lr).step([dense1, dense2])
    new_loss = mse.forward(dense2.forward(sigmoid.forward(dense1.forward(X))), Y)
    return {"x": X[0], "y": float(Y[0, 0]), "z1": ex["z1"], "a1": ex["a1"],
            "y_hat": float(ex["y_hat"][0]), "loss": ex["loss"], "dy_hat": float(ex["dy_hat"][0]),
            "da1": ex["da1"], "dz1": ex["dz1"], "dx": ex["dx"], "grads": grads,
            "slope": activations.sigmoid_grad(ex["z1"]),
            "new": {"W1": dense1.params["W"], "b1": dense1.params["b"],
                    "W2": dense2.params["W"], "b2": dense2.params["b"]},
            "new_loss": new_loss, "lr": lr}


def _backward(target: str, name: str, terms: list, value: float, why: str) -> dict:
    """A backward step: ``name`` = sum of local times upstream, spelled out with numbers."""
    symbols = " + ".join(f"{local} {TIMES} {up}" for (local, up, _, _) in terms)
    numbers = " + ".join(f"{term(lv)} {TIMES} {term(uv)}" for (_, _, lv, uv) in terms)
    return {"phase": "backward", "target": target, "value": float(value),
            "terms": [[float(lv), float(uv)] for (_, _, lv, uv) in terms],
            "text": f"{name} = {symbols} = {numbers} = {num(value)}. {why}"}


def stepper_data(lr: float = LR) -> dict:
    """The nodes, parameters and steps of the stepper, in the order a reader steps through."""
    r = run(lr)
    x, z1, a1, W1g, dz1 = r["x"], r["z1"], r["a1"], r["grads"]["W1"], r["dz1"]
    dL = f"{PARTIAL}L/{PARTIAL}"
    steps = [{"phase": "start", "target": "x", "value": None,
              "text": f"One example: x = ({num(x[0])}, {num(x[1])}) with target y = "
                      f"{num(r['y'])}. Next runs the forward pass."}]
    for j in range(2):
        s = SUB[j]
        steps.append({"phase": "forward", "target": f"z{j + 1}", "value": float(z1[j]),
                      "text": f"{Z1}{s} = x{SUB[0]} {W1S}{SUB[0]}{s} + x{SUB[1]} "
                              f"{W1S}{SUB[1]}{s} + {B1S}{s} = "
                              f"{term(x[0])} {TIMES} {term(W1[0, j])} + {term(x[1])} {TIMES} "
                              f"{term(W1[1, j])} + {term(B1[j])} = {num(z1[j])}."})
    for j in range(2):
        s = SUB[j]
        steps.append({"phase": "forward", "target": f"a{j + 1}", "value": float(a1[j]),
                      "text": f"(a\u2081){s} = \u03c3((z\u2081){s}) = \u03c3({num(z1[j])}) = "
                              f"{num(a1[j])}."})
    steps.append({"phase": "forward", "target": "y_hat", "value": r["y_hat"],
                  "text": f"{YH} = {A1}{SUB[0]} {W2S}{SUB[0]}{SUB[0]} + "
                          f"{A1}{SUB[1]} {W2S}{SUB[1]}{SUB[0]} + {B2S} = "
                          f"{term(a1[0])} {TIMES} {term(W2[0, 0])} + {term(a1[1])} {TIMES} "
                          f"{term(W2[1, 0])} + {term(B2[0])} = {num(r['y_hat'])}."})
    steps.append({"phase": "forward", "target": "L", "value": float(r["loss"]),
                  "text": f"L = (\u0177 {MINUS} y)\u00b2 = ({num(r['y_hat'])} {MINUS} "
                          f"{num(r['y'])})\u00b2 = {num(r['loss'])}. The forward pass is done; "
                          f"Next starts the backward pass."})
    steps.append({"phase": "backward", "target": "L", "value": 1.0, "terms": [],
                  "text": f"{dL}L = 1: the backward pass starts at the loss."})
    local = 2 * (r["y_hat"] - r["y"])
    steps.append(_backward("y_hat", f"{dL}\u0177", [("2(\u0177 \u2212 y)", f"{dL}L", local, 1.0)],
                           r["dy_hat"], "Negative: raising \u0177 would lower the loss."))
    dy = r["dy_hat"]
    steps.append(_backward("c", f"{dL}{B2S}", [("1", f"{dL}{YH}", 1.0, dy)], r["grads"]["b2"][0],
                           "The bias adds to \u0177 with slope 1."))
    for j in range(2):
        s = SUB[j]
        steps.append(_backward(f"v{j + 1}", f"{dL}{W2S}{s}{SUB[0]}",
                               [(f"{A1}{s}", f"{dL}{YH}", a1[j], dy)],
                               r["grads"]["W2"][j, 0],
                               "The weight's local derivative is the activation it multiplies."))
    for j in range(2):
        s = SUB[j]
        steps.append(_backward(f"a{j + 1}", f"{dL}(a\u2081){s}",
                               [(f"(W\u2082){s}\u2081", f"{dL}\u0177", W2[j, 0], dy)], r["da1"][j],
                               "An activation's local derivative is the weight it is "
                               "multiplied by."))
    for j in range(2):
        s = SUB[j]
        steps.append(_backward(f"z{j + 1}", f"{dL}(z\u2081){s}",
                               [(f"\u03c3\u2032((z\u2081){s})", f"{dL}(a\u2081){s}", r["slope"][j],
                                 r["da1"][j])], dz1[j],
                               "The sigmoid's slope is \u03c3(z)(1 \u2212 \u03c3(z)), from the "
                               "stored activation."))
    for j in range(2):
        s = SUB[j]
        steps.append(_backward(f"b{j + 1}", f"{dL}{B1S}{s}", [("1", f"{dL}{Z1}{s}", 1.0, dz1[j])],
                               r["grads"]["b1"][j], "A bias passes its node's gradient on."))
    for i in range(2):
        for j in range(2):
            si, sj = SUB[i], SUB[j]
            steps.append(_backward(f"w{i + 1}{j + 1}", f"{dL}(W\u2081){si}{sj}",
                                   [(f"x{si}", f"{dL}(z\u2081){sj}", x[i], dz1[j])], W1g[i, j],
                                   "The weight's local derivative is the input it multiplies."))
    for i in range(2):
        si = SUB[i]
        steps.append(_backward(f"x{i + 1}", f"{dL}x{si}",
                               [(f"{W1S}{si}{SUB[j]}", f"{dL}{Z1}{SUB[j]}", W1[i, j], dz1[j])
                                for j in range(2)], r["dx"][i],
                               "Two paths lead from the input to the loss, so their "
                               "contributions add up. No parameter needs this one."))
    grads, new = r["grads"], r["new"]
    old = {"W1": W1, "b1": B1, "W2": W2, "b2": B2}
    moves = []
    for key, names in (("W1", [f"{W1S}{SUB[i]}{SUB[j]}" for i in range(2) for j in range(2)]),
                       ("b1", [f"{B1S}{SUB[j]}" for j in range(2)]),
                       ("W2", [f"{W2S}{SUB[j]}{SUB[0]}" for j in range(2)]), ("b2", [B2S])):
        for name, o, g, n in zip(names, old[key].ravel(), grads[key].ravel(), new[key].ravel(),
                                 strict=True):
            moves.append(f"{name}: {num(o)} {MINUS} {lr:g} {TIMES} {term(g)} = {num(n)}")
    steps.append({"phase": "update", "target": "params", "value": None,
                  "text": f"Update, each parameter minus the learning rate {lr:g} times its "
                          f"gradient: " + "; ".join(moves) + "."})
    steps.append({"phase": "update", "target": "L", "value": float(r["new_loss"]),
                  "text": f"The forward pass again with the new parameters: the loss falls from "
                          f"{num(r['loss'])} to {num(r['new_loss'])} (the graph still shows "
                          f"the values of the first forward pass)."})
    params = {f"w{i + 1}{j + 1}": [float(W1[i, j]), float(grads["W1"][i, j]),
                                   float(new["W1"][i, j])] for i in range(2) for j in range(2)}
    params.update({f"b{j + 1}": [float(B1[j]), float(grads["b1"][j]), float(new["b1"][j])]
                   for j in range(2)})
    params.update({f"v{j + 1}": [float(W2[j, 0]), float(grads["W2"][j, 0]),
                                 float(new["W2"][j, 0])] for j in range(2)})
    params["c"] = [float(B2[0]), float(grads["b2"][0]), float(new["b2"][0])]
    return {"lr": lr, "x": x.tolist(), "y": r["y"], "params": params, "steps": steps,
            "new_loss": float(r["new_loss"])}
