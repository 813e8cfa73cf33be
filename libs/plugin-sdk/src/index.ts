/**
 * @tongfa/plugin-sdk — the contract between the 统发 Tongfa hub and platform plugins.
 * The testing kit lives at `@tongfa/plugin-sdk/testing`; the host's sharp-based image fitter at
 * `@tongfa/plugin-sdk/images-sharp`.
 */
export * from './manifest';
export * from './errors';
export * from './text';
export * from './images';
export * from './context';
export * from './egress';
export * from './plugin';
export * from './render';
export * from './posts';
