/**
 * An error the stand-in answers itself, in a ClickHouse server's words: a code and name from
 * ClickHouse's error list (so clients map it as they would a server's), and an HTTP status.
 */
export class StandInError extends Error {
  constructor(
    readonly code: number,
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export interface ExceptionAnswer {
  status: number;
  code: number;
  body: string;
}

/**
 * What a ClickHouse server answers for a failed statement: `Code: N. DB::Exception: … (NAME)
 * (version …)`, the code also in `X-ClickHouse-Exception-Code`. chDB's messages already read
 * `Code: N. DB::Exception: …`; anything else (a failure of the stand-in itself) is worded so.
 */
export function exceptionAnswer(err: unknown, version: string): ExceptionAnswer {
  const suffix = ` (version ${version} (chDB stand-in))\n`;
  if (err instanceof StandInError) {
    return { status: err.status, code: err.code, body: `Code: ${err.code}. DB::Exception: ${err.message}. (${err.type})${suffix}` };
  }
  const message = err instanceof Error ? err.message : String(err);
  const engine = /^Code: (\d+)\. DB::Exception: /.exec(message);
  if (engine) return { status: 500, code: Number(engine[1]), body: `${message.trimEnd()}${suffix}` };
  const known = (err as { clickhouseCode?: unknown }).clickhouseCode;
  const code = typeof known === 'number' ? known : 1001;
  return { status: 500, code, body: `Code: ${code}. DB::Exception: ${message}. (STD_EXCEPTION)${suffix}` };
}
