import { openBulkFor, pipelineSettingsFor, salesbotDesignerFor, salesbotStepsFor } from './host-entry-points.ts';
import { toggleSendBox } from './send-box-slot.ts';

/**
 * reach.js: what script.js loads only when asked (widget/src/lazy-module.ts): the card's "Send or
 * QR" box, the lead list's bulk links, the Digital Pipeline action's settings, and the Salesbot
 * designer step (its settings, and the bot code its save returns).
 */
export interface ReachModule {
  toggleSendBox: typeof toggleSendBox;
  openBulkFor: typeof openBulkFor;
  pipelineSettingsFor: typeof pipelineSettingsFor;
  salesbotDesignerFor: typeof salesbotDesignerFor;
  salesbotStepsFor: typeof salesbotStepsFor;
}

const reachModule: ReachModule = { toggleSendBox, openBulkFor, pipelineSettingsFor, salesbotDesignerFor, salesbotStepsFor };
export default reachModule;
