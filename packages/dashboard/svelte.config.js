import adapter from '@sveltejs/adapter-static';

/** @type {import('@sveltejs/kit').Config} */
export default {
  kit: {
    // A single-page app: every unknown path gets the shell (index.html), the router takes over.
    adapter: adapter({ pages: 'build', assets: 'build', fallback: 'index.html', strict: true }),
    // Deep links like /apps/x/links are served the same shell, so asset URLs must be absolute.
    paths: { relative: false },
  },
  compilerOptions: { runes: true },
};
