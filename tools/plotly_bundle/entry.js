'use strict';
// plotly.js core (which always holds the scatter trace) plus the two traces the report draws.
var Plotly = require('plotly.js/lib/core');
Plotly.register([require('plotly.js/lib/bar'), require('plotly.js/lib/sankey')]);
module.exports = Plotly;
