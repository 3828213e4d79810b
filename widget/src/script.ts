import { DramlinkWidget } from './widget.ts';

/** The bundle's one export: webpack wraps it as `define([], () => DramlinkWidget)` (output.library amd, export default). */
export default DramlinkWidget;
