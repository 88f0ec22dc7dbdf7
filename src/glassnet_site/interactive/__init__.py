"""Data for the site's interactive figures, computed by glassnet at build time.

The site is static and glassnet is its one neural-network implementation, so the browser
never trains anything: it replays and explores what this package computed.

* ``playground`` trains every combination of the training
  playground and stores each run compactly (``packing``);
* ``explorers`` exports the data of the neuron, activation and
  learning-rate explorers;
* ``backprop`` writes out the backpropagation stepper's steps, and ``gan`` trains the GAN
  explorer's two runs;
* ``digits`` exports the CNN of the digit explorer, its test digits and colour scales.

``python -m glassnet_site.interactive --out DIR`` writes all of it;
``glassnet_site.interactive_cache`` runs that command for the build and caches the result.
"""

from glassnet_site.interactive.explorers import activation_curves, descent_data, neuron_data
from glassnet_site.interactive.packing import dequantize, pack, quantize, unpack
from glassnet_site.interactive.playground import Combo, Grid, all_combos, train_combo, unique_combos

__all__ = ["Combo", "Grid", "activation_curves", "all_combos", "descent_data", "dequantize",
           "neuron_data", "pack", "quantize", "train_combo", "unique_combos", "unpack"]
