/**
 * A background loop (sync worker, reconciler) the app starts and stops with the server. Lives here,
 * not in the composition root, so the loops do not import the module that composes them.
 */
export interface BackgroundTask {
  name: string;
  start(): void;
  /** Stops scheduling and waits for the pass in progress. */
  stop(): Promise<void>;
}
