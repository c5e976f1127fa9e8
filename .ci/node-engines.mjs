#!/usr/bin/env node
// Every installed package must accept the Node the project promises: the lowest version the root
// package.json's engines range admits, and the Node running this check.
// npm only warns (EBADENGINE) when a dependency wants a newer Node, so a bump that drops Node 20
// would pass install and fail at run time on a user's machine; this walk makes it fail CI instead.
// Usage: node .ci/node-engines.mjs [node version to check against; default both of the above]
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';

const root = new URL('..', import.meta.url).pathname;
const promised = semver.minVersion(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).engines.node).version;
const targets = process.argv[2] ? [process.argv[2]] : [promised, process.version];
const refusals = [];
let checked = 0;

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

/** Each package directory under a node_modules folder, scoped ones included, and their nested node_modules. */
function walk(modules) {
  let entries;
  try {
    entries = readdirSync(modules, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    if (entry.name.startsWith('.') || !(entry.isDirectory() || entry.isSymbolicLink())) continue;
    const dir = join(modules, entry.name);
    if (entry.name.startsWith('@')) {
      walk(dir);
      continue;
    }
    const pkg = readJson(join(dir, 'package.json'));
    if (pkg) {
      checked++;
      const range = pkg.engines?.node;
      for (const target of targets) {
        if (typeof range === 'string' && semver.validRange(range) && !semver.satisfies(target, range, { includePrerelease: true })) {
          refusals.push(`${pkg.name}@${pkg.version} wants node ${range}, refuses ${target} (${dir.slice(root.length)})`);
        }
      }
    }
    if (!entry.isSymbolicLink()) walk(join(dir, 'node_modules'));
  }
}

walk(join(root, 'node_modules'));
for (const workspace of readdirSync(join(root, 'packages'))) walk(join(root, 'packages', workspace, 'node_modules'));

if (refusals.length > 0) {
  console.error(`${refusals.length} refusal(s) of node ${targets.join(' / ')}:\n  ${refusals.join('\n  ')}`);
  process.exit(1);
}
console.log(JSON.stringify({ node: targets, packages_checked: checked, refusals: 0 }));
