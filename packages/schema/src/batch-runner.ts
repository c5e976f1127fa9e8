import { jsonKind } from './body-error.ts';
import { type ApiErrorBody, type ItemRejection, itemError } from './errors.ts';
import { checkItemSize } from './item-size.ts';

/** Maps one wire item, pushing what it yields; returns the reason when it yields nothing. */
export type ItemMapper = (raw: unknown, index: number) => ApiErrorBody | undefined;

/** Size-checks then maps each item independently: one bad item never sinks the others. */
export function runItems(list: readonly unknown[], mapItem: ItemMapper, rejected: ItemRejection[]): void {
  for (let index = 0; index < list.length; index++) {
    const raw = list[index];
    const error = checkItemSize(raw) ?? mapItem(raw, index);
    if (error !== undefined) rejected.push({ index, error });
  }
}

export function itemNotObject(raw: unknown): ApiErrorBody {
  return itemError('invalid_type', `Each event must be a JSON object, not ${jsonKind(raw)}.`, {
    field: '$',
    expected: 'object',
    received: jsonKind(raw),
  });
}
