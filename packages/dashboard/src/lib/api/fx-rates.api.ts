import { listOf, num } from './answers.ts';
import type { Requester } from './client.ts';

/** One day's exchange rate: one `currency` is worth `rate` `to_currency` (docs/api.md, "Currencies"). */
export interface FxRate {
  date: string;
  currency: string;
  to_currency: string;
  rate: number;
}

const ratesPath = (appId: string) => `/api/apps/${encodeURIComponent(appId)}/fx-rates`;

/** Posts the pasted text as is: `application/json` for a JSON array, `text/csv` otherwise. Answers how many were imported. */
export async function importFxRates(api: Requester, appId: string, text: string): Promise<number> {
  const json = text.trim().startsWith('[');
  const answer = await api.request<Record<string, unknown>>('POST', ratesPath(appId), {
    rawBody: text,
    contentType: json ? 'application/json' : 'text/csv',
  });
  return num(answer?.['imported']);
}

export async function listFxRates(api: Requester, appId: string): Promise<{ reporting_currency: string; rates: FxRate[] }> {
  const answer = await api.request<Record<string, unknown>>('GET', ratesPath(appId));
  const rates = listOf<Record<string, unknown>>(answer, 'rates').map((r) => ({
    date: String(r['date']),
    currency: String(r['currency']),
    to_currency: String(r['to_currency']),
    rate: num(r['rate']),
  }));
  return { reporting_currency: String(answer?.['reporting_currency'] ?? ''), rates };
}

export async function deleteFxRate(api: Requester, appId: string, rate: Pick<FxRate, 'date' | 'currency' | 'to_currency'>): Promise<void> {
  await api.request('DELETE', ratesPath(appId), { body: { rows: [rate] } });
}
