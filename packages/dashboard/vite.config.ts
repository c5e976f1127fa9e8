import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';
import { externalBootstrapPlugin } from './build-tools/external-bootstrap.ts';
import { precompressPlugin } from './build-tools/precompress.ts';

// `npm run dev -w @unmogrowp/dashboard` proxies /api to a local API listener (API_PORT, default 3003).
const apiTarget = `http://127.0.0.1:${process.env.API_PORT ?? '3003'}`;

export default defineConfig({
  // Order matters: the bootstrap is moved out of index.html before both are precompressed.
  plugins: [sveltekit(), externalBootstrapPlugin('build'), precompressPlugin('build')],
  // Kit needs cookie 0.6 (its own nested copy); the hoisted one is 2.x (fastify's) with another API.
  // Bundling it into the build-time server (used only to write the SPA shell) picks Kit's copy.
  ssr: { noExternal: ['cookie'] },
  server: { proxy: { '/api': apiTarget } },
  preview: { proxy: { '/api': apiTarget } },
  build: { target: 'es2022', reportCompressedSize: true },
});
