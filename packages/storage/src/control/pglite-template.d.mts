/** Path of this installation's PGlite template (see pglite-template.mjs). */
export declare const PGLITE_TEMPLATE: string;
