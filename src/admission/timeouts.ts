/** The webhook's time budget, shared by the manifests, the server and the CLI. */

/** The webhooks' `timeoutSeconds` when none is given. */
export const DEFAULT_TIMEOUT_SECONDS = 10;

/**
 * The server's whole-request timeout for a webhook's `timeoutSeconds`: 80 % of it, so that a
 * slow client is cut off (and answered) before the API server gives up on the call.
 */
export function requestTimeoutMsFor(timeoutSeconds: number): number {
  return Math.round(timeoutSeconds * 800);
}
