/** Outcome of a pure step that can fail with a user-facing message; never thrown. */
export type Result<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: string };

/**
 * What a metric provider returns: a value for the conditions (`value`) and its text form for the
 * measurement (`raw`), or an error. Providers never judge success; `metadata` never holds secrets.
 */
export type MeasuredValue =
  | {
      readonly ok: true;
      readonly value: unknown;
      readonly raw: string;
      readonly metadata?: Readonly<Record<string, string>>;
    }
  | { readonly ok: false; readonly error: string; readonly metadata?: Readonly<Record<string, string>> };
