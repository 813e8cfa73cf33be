/**
 * The testing kit, imported as `@tongfa/plugin-sdk/testing`: the simulator harness, the sandbox
 * inspection client, the in-process test host and the conformance suite. Kept out of the main entry
 * because it loads node:test and fast-check, which a running plugin never needs.
 */
export * from './simulator-harness';
export * from './sandbox-client';
export * from './test-host';
export * from './conformance';
export * from './videos';
