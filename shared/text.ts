/**
 * Unicode bidirectional controls (embeddings, overrides, isolates and the directional marks). In
 * a description or a name they can make text display differently from what it is ("‮lanigiro"
 * shown reversed), so a customer could read another amount or merchant than the one stored. They
 * are removed wherever such text enters (the widget API) and wherever it is shown (the pay page).
 */
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

export function stripBidiControls(text: string): string {
  return text.replace(BIDI_CONTROLS, '');
}
