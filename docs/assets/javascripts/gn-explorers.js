// The explorers of the foundations pages, registered by name. Each module exports what
// it draws; this list mounts it on every page view, on the elements that ask for it:
// <div class="gn-explorer" data-explorer="NAME" data-src="PATH/interactive/NAME.json">.
import {mountExplorer} from "./gn-common.js";
import {explorer as activation} from "./gn-activation.js";
import {explorer as descent} from "./gn-descent.js";
import {explorer as digits} from "./gn-digits.js";
import {explorer as neuron} from "./gn-neuron.js";
import {explorer as backprop} from "./gn-backprop.js";
import {explorer as gan} from "./gn-gan.js";
import {explorer as attention} from "./gn-attention.js";

const EXPLORERS = [neuron, activation, descent, digits, backprop, gan, attention];

for (const {name, build, draw, stop} of EXPLORERS) {
  mountExplorer(`.gn-explorer[data-explorer="${name}"]`, build, draw, stop ?? null);
}
