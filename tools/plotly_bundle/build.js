// Same esbuild settings as plotly.js's own esbuild-config.js (minus the WebGL plugins,
// which scatter, bar and sankey do not use).  Output: ../../src/flowmodel/reporting/vendor/.
const fs = require('fs');
const path = require('path');
const esbuild = require('esbuild');
const InlineCSSPlugin = require('esbuild-plugin-inline-css');
const { environmentPlugin } = require('esbuild-plugin-environment');

const version = require('plotly.js/package.json').version;
const out = path.join(__dirname, '..', '..', 'src', 'flowmodel', 'reporting', 'vendor', 'plotly-report.min.js');
const header = `/**
* plotly.js v${version}, partial bundle: scatter, bar, sankey (built by tools/plotly_bundle)
* Copyright 2012-2026, Plotly, Inc.
* All rights reserved.
* Licensed under the MIT license (see LICENSE-plotly.txt beside this file)
*/
`;
esbuild.build({
  entryPoints: [path.join(__dirname, 'entry.js')], write: false, format: 'iife', globalName: 'Plotly',
  bundle: true, minify: true, sourcemap: false, legalComments: 'eof', charset: 'utf8',
  plugins: [InlineCSSPlugin(), environmentPlugin({ NODE_DEBUG: false })],
  alias: { stream: 'stream-browserify' },
  define: { global: 'window', 'define.amd': 'false' }, target: 'es2016', logLevel: 'info',
}).then((r) => {
  fs.writeFileSync(out, header + r.outputFiles[0].text);
  fs.copyFileSync(require.resolve('plotly.js/LICENSE'), path.join(path.dirname(out), 'LICENSE-plotly.txt'));
  console.log(`wrote ${out} (${fs.statSync(out).size} bytes)`);
}).catch(() => process.exit(1));
