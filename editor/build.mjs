// Bundles src/editor.js into ../internal/web/static/editor.js with a header
// naming the exact package versions from package-lock.json, which a Go test
// compares with the lockfile (so the vendored file cannot drift from it).
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';

const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const versions = Object.keys(pkg.devDependencies).sort().map((name) => `${name}@${lock.packages['node_modules/' + name].version}`);
const banner = `/*! cong editor — built from editor/ by "npm run build" with ${versions.join(' ')}. Tiptap and ProseMirror: MIT licence. */`;
await build({
  entryPoints: ['src/editor.js'],
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['es2019'],
  legalComments: 'none',
  banner: { js: banner },
  outfile: '../internal/web/static/editor.js',
});
console.log(banner);
