# tongfa-plugin-{{id}} — {{nameZh}} / {{nameEn}}

A 统发 Tongfa platform plugin, scaffolded by `tongfa-plugin-sdk init {{id}}`. The SDK's guide is
installed with it: `node_modules/@tongfa/plugin-sdk/README.md` (what each method must do, the typed
errors, checkpoints, video, the simulator harness, versions), and its CHANGELOG beside it.

## Layout

| file | what |
|---|---|
| `src/index.ts` | the manifest (credentials, constraints, rate limits, allowed hosts) and the plugin |
| `src/simulator.ts` | a fake of the platform API for tests and the hub's sandbox |
| `test/conformance.spec.ts` | the SDK's conformance suite run against the simulator |

## Develop

```sh
npm install
npm test        # compiles, then runs the conformance suite against the simulator
```

The scaffold talks to an imaginary `https://api.example.com`. To make it real:

1. Replace `allowedHosts` and `endpoints` with the platform's hosts, and the credential fields with what
   the platform issues.
2. Set `constraints` from the platform's documentation: limits, and how it counts characters.
3. Rewrite `src/simulator.ts` to reproduce the real API's paths, shapes and error codes (HTTP 200 with an
   error code in JSON, if that is what the platform does), then adapt `check()` in `src/index.ts`.
4. Keep `npm test` green.

Rules the suite enforces: `render()` is pure; every network failure and platform error becomes one of the
SDK's typed errors; the idempotency key reaches the platform so `findExisting` can find a post whose
response was lost; multi-step publishes checkpoint each committed step. With the `listPosts`
capability: the account's posts (also those made in the platform's own app) come newest first within
the declared daily quota, and `getPostByUrl` finds this account's posts only. Drop the capability,
its two methods and `postListing` if your platform cannot list an account's posts.
