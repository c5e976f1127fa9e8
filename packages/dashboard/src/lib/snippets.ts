/**
 * Copy-paste integration snippets. The server says where apps send events (its PUBLIC_INGEST_URL,
 * in the app's and the keys' answers); guessIngestUrl is only the fallback for an older server.
 */
export const DEFAULT_INGEST_PORT = '8081';

export function guessIngestUrl(location: { protocol: string; hostname: string }, port = DEFAULT_INGEST_PORT): string {
  const host = location.hostname.includes(':') ? `[${location.hostname}]` : location.hostname;
  return `${location.protocol}//${host}:${port}`;
}

/** A single quote inside a shell single-quoted string. */
function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

export function curlSnippet(ingestUrl: string, sdkKey: string, now = new Date()): string {
  const event = {
    event_id: `test-${now.getTime().toString(36)}`, // a new id each time: the same id is stored once
    type: 'install',
    timestamp: now.toISOString(),
    device: { id: 'test-device-1', platform: 'ios' },
  };
  return [
    `curl -X POST ${ingestUrl}/v1/events \\`,
    `  -H ${shellQuote(`X-Api-Key: ${sdkKey}`)} \\`,
    `  -H 'content-type: application/json' \\`,
    `  -d ${shellQuote(JSON.stringify(event))}`,
  ].join('\n');
}

export function segmentSnippet(ingestUrl: string, sdkKey: string): string {
  return [
    `// npm install @segment/analytics-node — or any Segment SDK with its API host set to ${ingestUrl}`,
    `import { Analytics } from '@segment/analytics-node';`,
    ``,
    `const analytics = new Analytics({ writeKey: ${JSON.stringify(sdkKey)}, host: ${JSON.stringify(ingestUrl)} });`,
    ``,
    `analytics.track({`,
    `  anonymousId: 'test-device-1', // the app-instance id (IDFV, Android ID)`,
    `  event: 'Application Installed',`,
    `  context: { device: { type: 'ios' } },`,
    `});`,
    `analytics.track({ anonymousId: 'test-device-1', event: 'purchase', properties: { revenue: 4.99, currency: 'USD' } });`,
  ].join('\n');
}

/** Reading numbers from scripts or BI tools with the server key (docs/api.md "Pull API"). */
export function pullApiSnippet(apiOrigin: string, appId: string, serverKey: string): string {
  return `curl -H ${shellQuote(`Authorization: Bearer ${serverKey}`)} \\\n  ${shellQuote(`${apiOrigin}/api/analytics/${appId}/overview`)}`;
}
