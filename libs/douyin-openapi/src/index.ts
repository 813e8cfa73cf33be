/**
 * `@tongfa/douyin-openapi`: the Douyin open platform client the douyin and toutiao plugins share (the
 * response envelope and its error codes mapped to the SDK's typed errors, OAuth connect/refresh,
 * single and chunked video upload). A helper package plugins depend on, the way a third party's
 * plugins would share one; it depends on the plugin SDK only.
 */
export * from './douyin-api';
export * from './video-upload';
