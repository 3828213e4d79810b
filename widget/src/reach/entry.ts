import { openBulkFor, pipelineSettingsFor } from './host-entry-points.ts';
import { toggleSendBox } from './send-box-slot.ts';

/**
 * reach.js: what script.js loads only when asked (widget/src/lazy-module.ts): the card's "Send or
 * QR" box, the lead list's bulk links, and the Digital Pipeline action's settings.
 */
export interface ReachModule {
  toggleSendBox: typeof toggleSendBox;
  openBulkFor: typeof openBulkFor;
  pipelineSettingsFor: typeof pipelineSettingsFor;
}

const reachModule: ReachModule = { toggleSendBox, openBulkFor, pipelineSettingsFor };
export default reachModule;
