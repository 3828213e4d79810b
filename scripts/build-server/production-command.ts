/**
 * Node's flags for the production server, written once here (`npm run start:prod` repeats them and
 * a test keeps the two equal; the launcher and the benches use these).
 * - `--enable-source-maps`: stack traces name server/*.ts lines.
 * - `--heap-growing-percent=50`: after a full collection V8 lets the old generation grow to 1.5×
 *   the live set before the next one, instead of up to 4×. The live heap is about 20 MB, so under
 *   the ingest bench the peak RSS drops from about 195 to about 145 MB, for CPU per notification
 *   within the bench's noise (a few percent at most). It sets no ceiling: a larger live set still
 *   gets its room.
 * - `--max-semi-space-size=8`: the young generation's halves at 8 MB instead of 16. A notification's
 *   garbage dies young either way (scavenges stay short); under the ingest bench the peak RSS drops
 *   by about 15 MB (about 143 to 128 MB) and the server CPU per notification did not rise (0.35
 *   against 0.37–0.41 ms in the same sessions, within the noise).
 */
export const PRODUCTION_NODE_FLAGS: readonly string[] = ['--enable-source-maps', '--heap-growing-percent=50', '--max-semi-space-size=8'];
