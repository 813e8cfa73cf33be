/**
 * Responses the inline boot script (src/boot.ts) started before the app's bundle ran, by API path
 * below /api/v1; api/client.ts takes each once. `res` is null when the request failed or was refused.
 */
export type EarlyMap = Map<string, { at: number; res: Promise<Response | null> }>;

declare global {
  interface Window {
    __tongfaEarly?: EarlyMap;
  }
}
