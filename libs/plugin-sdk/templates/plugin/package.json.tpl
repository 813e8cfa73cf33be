{
  "name": "tongfa-plugin-{{id}}",
  "version": "0.1.0",
  "description": "统发 Tongfa plugin for {{nameEn}}",
  "license": "Apache-2.0",
  "main": "dist/src/index.js",
  "types": "dist/src/index.d.ts",
  "files": ["dist/src"],
  "engines": {
    "node": "^20.19.0 || ^22.12.0 || >=24.0.0"
  },
  "scripts": {
    "build": "tsc -p tsconfig.json",
    "test": "tsc -p tsconfig.json && node --test dist/test/*.spec.js"
  },
  "dependencies": {
    "@tongfa/plugin-sdk": "{{sdkDependency}}"
  },
  "devDependencies": {
    "@types/node": "^20.19.0",
    "fast-check": "^4.0.0",
    "typescript": "~5.9.0"
  }
}
