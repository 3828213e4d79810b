import path from 'node:path';
import { fileURLToPath } from 'node:url';
import webpack from 'webpack';

const ROOT = path.dirname(fileURLToPath(import.meta.url));

export interface WidgetBundleOptions {
  /** Folder that receives script.js and settings.js. */
  outDir: string;
  /** Baked into the bundle as the default server address (the `server_url` widget setting overrides it). */
  serverUrl: string;
}

/**
 * widget/src → two minified AMD modules, each `define([...externals], () => …)`, the shape amoCRM's
 * RequireJS loads widget files as: script.js (the widget, what every lead card loads), settings.js
 * (the settings view, loaded from the widget's folder only when an admin opens the settings:
 * widget/src/lazy-module.ts) and reach.js (the card's "Send or show QR", the lead list's bulk links
 * and the Digital Pipeline action's settings, loaded the same way when first asked for). Each is self-contained (no shared chunk, no webpack chunk loader). Only
 * the modules amoCRM itself provides may stay external; everything else (shared/money.ts …) is
 * bundled. es2017 because amoCRM supports older browsers than our Node target.
 */
export function widgetWebpackConfig(o: WidgetBundleOptions): webpack.Configuration {
  return {
    mode: 'production',
    context: ROOT,
    entry: {
      script: path.join(ROOT, 'widget/src/script.ts'),
      settings: path.join(ROOT, 'widget/src/settings/entry.ts'),
      reach: path.join(ROOT, 'widget/src/reach/entry.ts'),
    },
    target: ['web', 'es2017'],
    devtool: false,
    output: {
      path: o.outDir,
      filename: '[name].js',
      library: { type: 'amd', export: 'default' },
      // No IIFE around define(): amoCRM's loader (and our validator) expect the file to start with it.
      iife: false,
    },
    externalsType: 'amd',
    externals: {
      jquery: 'jquery',
      underscore: 'underscore',
      twigjs: 'twigjs',
      'lib/components/base/modal': 'lib/components/base/modal',
    },
    resolve: { extensions: ['.ts', '.js'] },
    module: {
      rules: [{ test: /\.ts$/, loader: 'esbuild-loader', options: { loader: 'ts', target: 'es2017' } }],
    },
    optimization: {
      // webpack's own terser minimizer: unlike esbuild's per-file transform it drops unused functions
      // inside the define() wrapper. The loader already lowered the syntax to es2017.
      minimize: true,
      splitChunks: false,
      runtimeChunk: false,
    },
    plugins: [new webpack.DefinePlugin({ __DRAMLINK_SERVER_URL__: JSON.stringify(o.serverUrl) })],
    performance: { hints: false },
  };
}

export default widgetWebpackConfig({
  outDir: path.join(ROOT, 'dist/widget'),
  serverUrl: process.env.PUBLIC_URL || `http://localhost:${process.env.PORT || 3000}`,
});
