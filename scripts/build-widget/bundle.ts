import webpack from 'webpack';
import { widgetWebpackConfig, type WidgetBundleOptions } from '../../webpack.config.ts';
import { BuildError } from './build-error.ts';

/** Runs webpack through its Node API; compile errors become build problems, not stack traces. */
export function bundleScript(opts: WidgetBundleOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const compiler = webpack(widgetWebpackConfig(opts));
    compiler.run((err, stats) => {
      compiler.close(() => {
        if (err) return reject(new BuildError([`webpack: ${err.message}`]));
        if (stats?.hasErrors()) {
          const errors = stats.toJson({ all: false, errors: true }).errors ?? [];
          return reject(new BuildError(errors.map((e) => `webpack: ${e.moduleName ? `${e.moduleName}: ` : ''}${e.message}`)));
        }
        resolve();
      });
    });
  });
}
