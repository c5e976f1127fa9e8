import { describe, expect, it } from 'vitest';
import { curlSnippet, guessIngestUrl, pullApiSnippet, segmentSnippet } from '../src/lib/snippets.ts';

describe('snippets', () => {
  it('guesses the ingest listener on the same host, port 8081', () => {
    expect(guessIngestUrl({ protocol: 'https:', hostname: 'mmp.example.com' })).toBe('https://mmp.example.com:8081');
    expect(guessIngestUrl({ protocol: 'http:', hostname: '::1' })).toBe('http://[::1]:8081');
  });

  it('the curl snippet posts a valid native event with the SDK key', () => {
    const text = curlSnippet('http://h:8081', "sdk_a'b", new Date('2026-11-29T10:00:00.000Z'));
    expect(text).toContain('http://h:8081/v1/events');
    expect(text).toContain(`'X-Api-Key: sdk_a'\\''b'`);
    const body = /-d '(.*)'$/m.exec(text)?.[1] ?? '';
    expect(JSON.parse(body)).toMatchObject({ type: 'install', timestamp: '2026-11-29T10:00:00.000Z', device: { platform: 'ios' } });
  });

  it('the Segment snippet uses the SDK key as write key and the ingest host', () => {
    const text = segmentSnippet('http://h:8081', 'sdk_1');
    expect(text).toContain('writeKey: "sdk_1"');
    expect(text).toContain('host: "http://h:8081"');
    expect(text).toContain("'Application Installed'");
  });

  it('the pull API snippet reads the overview with the server key', () => {
    expect(pullApiSnippet('http://h:3003', 'app_1', 'srv_1')).toContain("'http://h:3003/api/analytics/app_1/overview'");
  });
});
