/**
 * Sentences for what a saved template will do that its author may not expect. `{names}` that
 * are not macros are saved and sent as written (a network's own placeholder is legitimate), so
 * they warn rather than refuse.
 */
export function partnerWarnings(unknownMacros: readonly string[]): string[] {
  return unknownMacros.map(
    (name) =>
      `{${name}} is not a macro we fill in; it is sent as written. Check the spelling if you meant one of the macros of docs/attribution-rules.md.`,
  );
}
