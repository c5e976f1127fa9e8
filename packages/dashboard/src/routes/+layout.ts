// A single-page app: the API listener serves the static shell and the router renders in the browser.
export const ssr = false;
export const prerender = false;
export const trailingSlash = 'never';
