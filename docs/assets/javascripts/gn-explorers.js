// The explorers of the foundations pages; each mounts itself on the pages that hold it.
import "./gn-neuron.js";
import "./gn-activation.js";
import "./gn-descent.js";
