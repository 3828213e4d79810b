import { AmopayWidget } from './widget.ts';

/** The bundle's one export: webpack wraps it as `define([], () => AmopayWidget)` (output.library amd, export default). */
export default AmopayWidget;
