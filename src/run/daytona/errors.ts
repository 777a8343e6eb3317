/** What went wrong talking to Daytona, in terms a user can act on. Never carries the API key. */
export type DaytonaFailure =
  | 'no-key'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'rate-limited'
  | 'timeout'
  | 'network'
  | 'server'
  | 'sandbox-failed'
  | 'other';

export class KirbyDaytonaError extends Error {
  constructor(
    readonly failure: DaytonaFailure,
    message: string,
    /** What the user can do about it, one sentence. */
    readonly nextStep: string,
    /** The HTTP status, when there was one. */
    readonly status?: number,
  ) {
    super(`${message} ${nextStep}`.trim());
    this.name = 'KirbyDaytonaError';
  }
}

export const SET_KEY_STEP = 'Set the key with "Kirby: Set Daytona API Key" (or DAYTONA_API_KEY for the kirby CLI).';
