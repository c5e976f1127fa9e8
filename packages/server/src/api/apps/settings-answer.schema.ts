/**
 * The answer of `GET /api/apps/:app_id/settings`, as a complete response schema: Fastify
 * serializes with it (a field missing here would be dropped, not leaked) and the OpenAPI
 * document can describe it. The shape is `AppAttributionSettings` of @unmogrowp/attribution.
 */
const int = { type: 'integer' } as const;
const bool = { type: 'boolean' } as const;

function closed(properties: Record<string, unknown>) {
  return { type: 'object', additionalProperties: false, required: Object.keys(properties), properties } as const;
}

const fraudSettings = closed({
  ctit_enabled: bool,
  ctit_min_seconds: int,
  click_injection_enabled: bool,
  click_flood_enabled: bool,
  click_flood_max_per_hour: int,
  blocked_ip_enabled: bool,
  blocked_cidrs: { type: 'array', items: { type: 'string' } },
});

const attributionSettings = closed({
  click_window_hours: int,
  view_window_hours: int,
  probabilistic_enabled: bool,
  probabilistic_window_hours: int,
  reattribution_window_days: int,
  reengagement_window_days: int,
  retention_days: int,
  fraud: fraudSettings,
});

const range = closed({ min: int, max: int });

const limits = closed({
  click_window_hours: range,
  view_window_hours: range,
  probabilistic_window_hours: range,
  reattribution_window_days: range,
  reengagement_window_days: range,
  retention_days: range,
  ctit_min_seconds: range,
  click_flood_max_per_hour: range,
  blocked_cidrs: closed({ max_entries: int }),
});

export const settingsAnswerSchema = closed({
  settings: {
    ...attributionSettings,
    description: 'what the attribution engine applies to this app: stored values, defaults for the rest',
  },
  defaults: { ...attributionSettings, description: 'the value of each setting an app has not set' },
  limits: { ...limits, description: 'inclusive ranges a change must respect; the same limits apply to a link’s own windows' },
});
