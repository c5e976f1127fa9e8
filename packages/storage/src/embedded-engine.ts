/**
 * Loads an embedded engine (chDB, PGlite) when the embedded profile first opens it. A scale-out
 * image is built without them (docs/scale-out.md, "The image"); asking for one there gets a
 * sentence saying which variable to set instead of a module-resolution stack.
 */
export async function importEmbeddedEngine<T>(load: () => Promise<T>, what: string, instead: string): Promise<T> {
  try {
    return await load();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') throw err;
    throw new Error(
      `${what} is not installed here (a scale-out image leaves it out): set ${instead}, or build the image with WITH_EMBEDDED_ENGINES=1`,
      { cause: err },
    );
  }
}
