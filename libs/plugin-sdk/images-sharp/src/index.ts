// Lets monorepo code import '@tongfa/plugin-sdk/images-sharp' (the root path alias maps '@tongfa/<x>'
// to 'libs/<x>/src'). Published consumers use package.json "exports" instead.
export * from '../../src/images-sharp';
