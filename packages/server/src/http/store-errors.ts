import {
  AppInputError,
  ControlConflictError,
  LinkInputError,
  MemberInputError,
  PartnerInputError,
  UserInputError,
} from '@unmogrowp/storage';
import { AppError } from './app-error.ts';

/**
 * The control store's refusals, as docs/api.md §1 answers: input it will not store → 400 naming the
 * field, a write that conflicts with what is stored → 409 with the store's code. Anything else
 * is not the client's fault and stays an error (500, logged).
 */
export function storeErrorToAppError(err: unknown): AppError | null {
  if (
    err instanceof UserInputError ||
    err instanceof MemberInputError ||
    err instanceof AppInputError ||
    err instanceof LinkInputError ||
    err instanceof PartnerInputError
  ) {
    return new AppError(400, err.code, err.message, { field: err.field });
  }
  if (err instanceof ControlConflictError) return new AppError(409, err.code, err.message);
  return null;
}
