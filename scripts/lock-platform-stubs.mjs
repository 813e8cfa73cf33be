// The npm mirror reachable from our build machines serves only the linux builds of packages that
// ship per-platform binaries (@swc/core-*, @msgpackr-extract/*). `npm install` then leaves the other
// platforms' optional packages out of package-lock.json, and `npm ci` refuses the lock as out of
// sync — here and on a developer's Mac alike. This adds the missing optional entries (name, version,
// os, cpu) so the lock is complete; npm skips them on other platforms and fetches them by version
// where they apply. Run after `npm install` changes the lock: node scripts/lock-platform-stubs.mjs
import { readFileSync, writeFileSync } from 'node:fs';

const path = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(path, 'utf8'));
const pkgs = lock.packages;

function platformOf(name) {
  const os = /darwin/.test(name)
    ? 'darwin'
    : /win32/.test(name)
      ? 'win32'
      : /linux/.test(name)
        ? 'linux'
        : /freebsd/.test(name)
          ? 'freebsd'
          : null;
  const cpu = /arm64/.test(name)
    ? 'arm64'
    : /ia32/.test(name)
      ? 'ia32'
      : /x64/.test(name)
        ? 'x64'
        : /ppc64/.test(name)
          ? 'ppc64'
          : /s390x/.test(name)
            ? 's390x'
            : /arm/.test(name)
              ? 'arm'
              : null;
  const libc = /musl/.test(name) ? 'musl' : /gnu/.test(name) ? 'glibc' : null;
  return { os, cpu, libc };
}

let added = 0;
for (const [key, entry] of Object.entries(pkgs)) {
  for (const [dep, version] of Object.entries(entry.optionalDependencies ?? {})) {
    // Resolve where npm would place it: nested under the parent, else hoisted to the root.
    const nested = `${key ? `${key}/` : ''}node_modules/${dep}`;
    const hoisted = `node_modules/${dep}`;
    if (pkgs[nested] || pkgs[hoisted]) continue;
    const { os, cpu, libc } = platformOf(dep);
    if (!os || !cpu) continue; // not a per-platform build: leave it to npm
    pkgs[hoisted] = {
      version: version.replace(/^[\^~=]/, ''),
      cpu: [cpu],
      ...(libc ? { libc: [libc] } : {}),
      license: entry.license ?? 'MIT',
      optional: true,
      os: [os],
      ...(entry.engines ? { engines: entry.engines } : {}),
    };
    added++;
  }
}
lock.packages = Object.fromEntries(Object.entries(pkgs).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`lock: added ${added} optional platform entries`);
