import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PartnerServer, startPartnerServer } from '../../pipeline/test/support/partner-server.ts';
import { NO_TRACING, startTracing } from '../src/ops/tracing.ts';
import { sendOpsTraffic } from './support/ops-traffic.ts';
import { eventually, startTestPlatform, type TestPlatform } from './support/test-platform.ts';

interface SeenSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  service: string;
}

/** A tiny OTLP/HTTP receiver: what a collector would get at /v1/traces (JSON encoding). */
async function startReceiver() {
  const spans: SeenSpan[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/traces') return void res.writeHead(404).end();
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      for (const rs of body.resourceSpans ?? []) {
        const service = rs.resource?.attributes?.find((a: { key: string }) => a.key === 'service.name')?.value?.stringValue;
        for (const ss of rs.scopeSpans ?? []) for (const s of ss.spans ?? []) spans.push({ ...s, service });
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, spans, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('tracing off (the default)', () => {
  it('is the no-op, and only the lazily imported module names OpenTelemetry', async () => {
    expect(await startTracing({ endpoint: null, serviceName: 'x' })).toBe(NO_TRACING);
    const src = path.resolve(import.meta.dirname, '../src');
    const importers = execFileSync('grep', ['-rl', '@opentelemetry', src], { encoding: 'utf8' }).trim().split('\n');
    expect(importers.map((f) => path.relative(src, f))).toEqual(['ops/otel-tracing.ts']);
  });
});

describe('tracing on (OTEL_EXPORTER_OTLP_ENDPOINT)', () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let partner: PartnerServer;
  let p: TestPlatform;
  beforeAll(async () => {
    receiver = await startReceiver();
    partner = await startPartnerServer();
    p = await startTestPlatform({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, POSTBACK_ALLOWED_CIDRS: '127.0.0.0/8' });
  }, 30_000);
  afterAll(async () => {
    await p?.close();
    await Promise.all([receiver?.close(), partner?.close()]);
  });

  it('makes one trace of an install: ingest → pipeline → store → postback', async () => {
    await sendOpsTraffic(p, { partnerUrl: partner.base });
    await eventually(async () => expect(partner.seen.length).toBeGreaterThan(0), 15_000);
    const trace = await eventually(() => {
      const postback = receiver.spans.find((s) => s.name === 'postback');
      expect(postback).toBeDefined();
      return Promise.resolve(receiver.spans.filter((s) => s.traceId === postback!.traceId));
    }, 15_000);
    const byName = (name: string) => trace.filter((s) => s.name === name);
    const [ingest] = byName('ingest');
    const [pipeline] = byName('pipeline');
    expect(ingest?.parentSpanId || undefined).toBeUndefined();
    expect(pipeline?.parentSpanId).toBe(ingest?.spanId);
    expect(byName('store').length).toBeGreaterThanOrEqual(2);
    for (const store of byName('store')) expect(store.parentSpanId).toBe(pipeline?.spanId);
    for (const postback of byName('postback')) expect(postback.parentSpanId).toBe(pipeline?.spanId);
    expect(ingest?.service).toBe('unmogrowp-all');
  }, 40_000);
});
