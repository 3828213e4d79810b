/** Why the production build failed, one problem a line, each saying what to change. */
export class ServerBuildError extends Error {
  constructor(readonly problems: string[]) {
    super(`the production build failed:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ServerBuildError';
  }
}
