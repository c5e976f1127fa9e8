import { describe, expect, it } from 'vitest';
import { externalizeBootstrap } from '../build-tools/external-bootstrap.ts';

const shell = `<body><div id="svelte">
  <script>
    { __sveltekit_abc = { base: "" }; const element = document.currentScript.parentElement; import("/_app/immutable/entry/start.js"); }
  </script>
</div></body>`;

describe('externalizeBootstrap', () => {
  it('moves the inline start-up script into a hashed file so a strict CSP allows it', () => {
    const out = externalizeBootstrap(shell);
    expect(out.script?.path).toMatch(/^\/_app\/immutable\/bootstrap\.[\w-]{10}\.js$/);
    expect(out.script?.source).toContain('__sveltekit_abc');
    expect(out.html).not.toContain('__sveltekit_abc');
    expect(out.html).toContain(`<script src="${out.script?.path}"></script>`);
  });

  it('is a no-op on a page already rewritten, and the name follows the content', () => {
    const once = externalizeBootstrap(shell);
    expect(externalizeBootstrap(once.html).script).toBeNull();
    expect(externalizeBootstrap(shell.replace('abc', 'xyz')).script?.path).not.toBe(once.script?.path);
  });
});
