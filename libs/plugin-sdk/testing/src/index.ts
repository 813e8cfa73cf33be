// Lets monorepo code import '@tongfa/plugin-sdk/testing': the root path alias maps '@tongfa/<x>' to
// 'libs/<x>/src', so the subpath resolves here. Published consumers use package.json "exports" instead.
export * from '../../src/testing';
