/**
 * Writes deploy/grafana/dashboards/*.json from the panel lists below, so four dashboards share
 * one layout and one set of conventions (job, role and instance variables; rates over
 * $__rate_interval). Run after editing: `node --import tsx deploy/grafana/build-dashboards.ts`.
 * A test runs every panel's expression through a real Prometheus.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';

interface Panel {
  title: string;
  /** Query expressions; `{sel}` becomes the dashboard's job/role/instance selector. */
  targets: { expr: string; legend?: string }[];
  unit?: string;
  type?: 'timeseries' | 'stat';
  /** Panels that stay empty on the embedded profile (no JetStream, Redis or ClickHouse server). */
  scaleOutOnly?: boolean;
}
interface Row {
  title: string;
  panels: Panel[];
}

// biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's own variable syntax, filled in by Grafana
const DATASOURCE = { type: 'prometheus', uid: '${datasource}' };

const rate = (metric: string, extra = '') => `rate(${metric}{{sel}${extra}}[$__rate_interval])`;
const p = (q: number, metric: string, extra = '', by = '') =>
  `histogram_quantile(${q}, sum by (le${by ? `, ${by}` : ''}) (${rate(`${metric}_bucket`, extra)}))`;

const resources: Row = {
  title: 'Resources',
  panels: [
    { title: 'Up', type: 'stat', targets: [{ expr: 'up{{sel}}', legend: '{{instance}} ({{role}})' }] },
    { title: 'Ready', type: 'stat', targets: [{ expr: 'unmogrowp_ready{{sel}}', legend: '{{instance}}' }] },
    { title: 'CPU (cores)', targets: [{ expr: rate('process_cpu_seconds_total'), legend: '{{instance}}' }] },
    { title: 'Resident memory', unit: 'bytes', targets: [{ expr: 'process_resident_memory_bytes{{sel}}', legend: '{{instance}}' }] },
    { title: 'Event-loop lag p99', unit: 's', targets: [{ expr: 'nodejs_eventloop_lag_p99_seconds{{sel}}', legend: '{{instance}}' }] },
    {
      title: 'DATA_DIR free',
      unit: 'bytes',
      targets: [{ expr: 'unmogrowp_data_dir_free_bytes{{sel}}', legend: '{{instance}}' }],
    },
  ],
};

const ingestTraffic: Panel[] = [
  {
    title: 'Ingest requests/s by route',
    unit: 'reqps',
    targets: [
      { expr: `sum by (route) (${rate('unmogrowp_http_request_duration_seconds_count', ',listener="ingest"')})`, legend: '{{route}}' },
    ],
  },
  {
    title: 'Items/s by outcome',
    targets: [{ expr: `sum by (outcome, format) (${rate('unmogrowp_ingest_items_total')})`, legend: '{{outcome}} {{format}}' }],
  },
  {
    title: 'Clicks and impressions/s by outcome',
    targets: [{ expr: `sum by (touch, outcome, reason) (${rate('unmogrowp_touches_total')})`, legend: '{{touch}} {{outcome}} {{reason}}' }],
  },
];
const acks: Panel[] = [
  {
    title: 'Ingest acknowledgement latency',
    unit: 's',
    targets: [
      { expr: p(0.5, 'unmogrowp_http_request_duration_seconds', ',listener="ingest",method="POST"'), legend: 'p50' },
      { expr: p(0.99, 'unmogrowp_http_request_duration_seconds', ',listener="ingest",method="POST"'), legend: 'p99' },
    ],
  },
  {
    title: 'Durable commit latency',
    unit: 's',
    targets: [
      { expr: p(0.5, 'unmogrowp_ingest_commit_duration_seconds'), legend: 'p50' },
      { expr: p(0.99, 'unmogrowp_ingest_commit_duration_seconds'), legend: 'p99' },
    ],
  },
];
const errors: Panel[] = [
  {
    title: 'Ingest 5xx ratio',
    unit: 'percentunit',
    targets: [
      {
        expr: `(sum(${rate('unmogrowp_http_request_duration_seconds_count', ',listener="ingest",status=~"5.."')}) or vector(0)) / sum(${rate('unmogrowp_http_request_duration_seconds_count', ',listener="ingest"')})`,
        legend: '5xx ratio',
      },
    ],
  },
  {
    title: 'Client and server errors/s by listener and status',
    targets: [
      {
        expr: `sum by (listener, status) (${rate('unmogrowp_http_request_duration_seconds_count', ',status=~"[45].."')})`,
        legend: '{{listener}} {{status}}',
      },
    ],
  },
];
const lag: Panel[] = [
  {
    title: 'Pipeline lag',
    unit: 's',
    targets: [{ expr: 'max by (instance) (unmogrowp_pipeline_lag_seconds{{sel}})', legend: '{{instance}}' }],
  },
  {
    title: 'Records not yet stored',
    targets: [{ expr: 'sum by (instance) (unmogrowp_pipeline_lag_records{{sel}})', legend: '{{instance}}' }],
  },
  {
    title: 'Store write latency p99',
    unit: 's',
    targets: [{ expr: p(0.99, 'unmogrowp_store_write_duration_seconds'), legend: 'p99' }],
  },
  {
    title: 'Stored items/s and failed batches/s',
    targets: [
      { expr: `sum(${rate('unmogrowp_stored_items_total')})`, legend: 'stored' },
      { expr: `sum(${rate('unmogrowp_pipeline_errors_total')})`, legend: 'failed batches' },
    ],
  },
];
const attribution: Panel[] = [
  {
    title: 'Install decisions/s by match type',
    targets: [
      { expr: `sum by (match_type, status) (${rate('unmogrowp_attribution_decisions_total')})`, legend: '{{match_type}} {{status}}' },
    ],
  },
  {
    title: 'Installs accepted vs decided',
    targets: [
      { expr: `sum(${rate('unmogrowp_ingest_installs_total')})`, legend: 'accepted' },
      { expr: `sum(${rate('unmogrowp_attribution_decisions_total')})`, legend: 'decided' },
    ],
  },
];
const fraud: Panel[] = [
  {
    title: 'Fraud rejections/s by reason',
    targets: [{ expr: `sum by (kind, reason) (${rate('unmogrowp_fraud_rejections_total')})`, legend: '{{kind}} {{reason}}' }],
  },
  {
    title: 'Fraud share of installs',
    unit: 'percentunit',
    targets: [
      {
        expr: `(sum(${rate('unmogrowp_fraud_rejections_total', ',kind="install"')}) or vector(0)) / sum(${rate('unmogrowp_attribution_decisions_total')})`,
        legend: 'rejected share',
      },
    ],
  },
];
const postbacks: Panel[] = [
  {
    title: 'Postback attempts/s by outcome',
    targets: [{ expr: `sum by (outcome) (${rate('unmogrowp_postback_attempts_total')})`, legend: '{{outcome}}' }],
  },
  {
    title: 'Postback queue',
    targets: [
      { expr: 'max(unmogrowp_postback_queue_depth{{sel}})', legend: 'pending' },
      { expr: 'max(unmogrowp_postback_oldest_pending_age_seconds{{sel}})', legend: 'oldest pending (s)' },
    ],
  },
];
const scaleOut: Panel[] = [
  {
    title: 'JetStream consumer pending',
    scaleOutOnly: true,
    targets: [
      { expr: 'sum by (consumer) (unmogrowp_jetstream_consumer_pending_messages{{sel}})', legend: 'pending {{consumer}}' },
      { expr: 'sum by (consumer) (unmogrowp_jetstream_consumer_ack_pending_messages{{sel}})', legend: 'ack pending {{consumer}}' },
    ],
  },
  {
    title: 'Redis / ClickHouse / PostgreSQL / NATS errors/s',
    scaleOutOnly: true,
    targets: [{ expr: `sum by (store, op) (${rate('unmogrowp_store_errors_total')})`, legend: '{{store}} {{op}}' }],
  },
];
const state: Panel[] = [
  {
    // Shared state (Redis, scale-out): every worker reports the same figure, so max, not sum.
    title: 'Attribution state held',
    targets: [
      { expr: 'max(unmogrowp_touchpoint_index_entries{{sel}})', legend: 'touchpoints' },
      { expr: 'max(unmogrowp_device_registry_devices{{sel}})', legend: 'devices' },
      { expr: 'max(unmogrowp_dedupe_keys{{sel}})', legend: 'dedupe ids' },
    ],
  },
];
const api: Panel[] = [
  {
    title: 'API requests/s by route',
    unit: 'reqps',
    targets: [
      { expr: `sum by (route) (${rate('unmogrowp_http_request_duration_seconds_count', ',listener="api"')})`, legend: '{{route}}' },
    ],
  },
  {
    title: 'API latency p99 by route',
    unit: 's',
    targets: [{ expr: p(0.99, 'unmogrowp_http_request_duration_seconds', ',listener="api"', 'route'), legend: '{{route}}' }],
  },
  {
    title: 'Analytics latency p99 by route',
    unit: 's',
    targets: [{ expr: p(0.99, 'unmogrowp_analytics_query_duration_seconds', '', 'route'), legend: '{{route}}' }],
  },
];
const security: Panel[] = [
  {
    title: 'Failed sign-ins and refusals/s',
    targets: [
      { expr: `sum by (reason) (${rate('unmogrowp_login_failures_total')})`, legend: 'login {{reason}}' },
      { expr: `sum by (kind) (${rate('unmogrowp_token_refusals_total')})`, legend: 'token {{kind}}' },
      { expr: `sum(${rate('unmogrowp_authorization_refusals_total')})`, legend: 'authorization' },
    ],
  },
  {
    title: 'Audit chain verifies',
    type: 'stat',
    targets: [{ expr: 'min(unmogrowp_audit_chain_ok{{sel}})', legend: 'chain ok' }],
  },
];

const DASHBOARDS: { uid: string; title: string; roles: string; rows: Row[] }[] = [
  {
    uid: 'unmogrowp-overview',
    title: 'UnMoGrowP — overview',
    roles: '$role',
    rows: [
      { title: 'Traffic', panels: ingestTraffic },
      { title: 'Acknowledgements', panels: acks },
      { title: 'Errors', panels: errors },
      { title: 'Latency', panels: api.slice(1) },
      { title: 'Pipeline lag', panels: lag },
      { title: 'Attribution mix', panels: attribution },
      { title: 'Fraud', panels: fraud },
      { title: 'Postbacks', panels: postbacks },
      { title: 'Security', panels: security },
      resources,
    ],
  },
  {
    uid: 'unmogrowp-ingest',
    title: 'UnMoGrowP — ingest role',
    roles: 'ingest|all',
    rows: [
      { title: 'Traffic', panels: ingestTraffic },
      { title: 'Acknowledgements', panels: acks },
      { title: 'Errors', panels: errors },
      resources,
    ],
  },
  {
    uid: 'unmogrowp-worker',
    title: 'UnMoGrowP — worker role',
    roles: 'worker|all',
    rows: [
      { title: 'Pipeline', panels: lag },
      { title: 'Scale-out stores', panels: scaleOut },
      { title: 'Attribution', panels: [...attribution, ...state] },
      { title: 'Fraud', panels: fraud },
      { title: 'Postbacks', panels: postbacks },
      resources,
    ],
  },
  {
    uid: 'unmogrowp-api',
    title: 'UnMoGrowP — API role',
    roles: 'api|all',
    rows: [{ title: 'Requests', panels: api }, { title: 'Security', panels: security }, resources],
  },
];

function dashboard(d: (typeof DASHBOARDS)[number]) {
  const selector = `job="unmogrowp",role=~"${d.roles}",instance=~"$instance"`;
  const panels: unknown[] = [];
  let id = 1;
  let y = 0;
  for (const row of d.rows) {
    panels.push({ id: id++, type: 'row', title: row.title, collapsed: false, gridPos: { h: 1, w: 24, x: 0, y: y++ }, panels: [] });
    row.panels.forEach((panel, i) => {
      const w = panel.type === 'stat' ? 6 : 12;
      panels.push({
        id: id++,
        type: panel.type ?? 'timeseries',
        title: panel.title,
        ...(panel.scaleOutOnly ? { description: 'Scale-out only: empty on the embedded profile.' } : {}),
        datasource: DATASOURCE,
        gridPos: { h: 8, w, x: (i % 2) * 12, y: y + Math.floor(i / 2) * 8 },
        fieldConfig: { defaults: { unit: panel.unit ?? 'short' }, overrides: [] },
        options: {},
        targets: panel.targets.map((t, n) => ({
          refId: String.fromCharCode(65 + n),
          datasource: DATASOURCE,
          expr: t.expr.replaceAll('{sel}', selector),
          legendFormat: t.legend ?? '__auto',
        })),
      });
    });
    y += Math.ceil(row.panels.length / 2) * 8;
  }
  const variables = [
    { name: 'datasource', type: 'datasource', query: 'prometheus', current: {}, hide: 0 },
    ...(d.roles === '$role'
      ? [
          {
            name: 'role',
            type: 'query',
            datasource: DATASOURCE,
            query: { query: 'label_values(unmogrowp_role_info{job="unmogrowp"}, role)', refId: 'role' },
            includeAll: true,
            multi: true,
            allValue: '.*',
            current: { text: 'All', value: '$__all' },
            refresh: 2,
          },
        ]
      : []),
    {
      name: 'instance',
      type: 'query',
      datasource: DATASOURCE,
      query: { query: `label_values(up{job="unmogrowp",role=~"${d.roles}"}, instance)`, refId: 'instance' },
      includeAll: true,
      multi: true,
      allValue: '.*',
      current: { text: 'All', value: '$__all' },
      refresh: 2,
    },
  ];
  return {
    uid: d.uid,
    title: d.title,
    tags: ['unmogrowp'],
    timezone: 'utc',
    schemaVersion: 39,
    version: 1,
    refresh: '30s',
    time: { from: 'now-6h', to: 'now' },
    templating: { list: variables },
    links: [{ title: 'Runbook', type: 'link', url: 'docs/operations.md#runbook' }],
    panels,
  };
}

// DASHBOARDS_OUT: a test writes elsewhere to check the committed files are this script's output.
const out = process.env.DASHBOARDS_OUT ?? path.join(import.meta.dirname, 'dashboards');
for (const d of DASHBOARDS) writeFileSync(path.join(out, `${d.uid}.json`), `${JSON.stringify(dashboard(d), null, 2)}\n`);
console.log(JSON.stringify({ written: DASHBOARDS.map((d) => `${d.uid}.json`) }));
