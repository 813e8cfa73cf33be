import { weiboPlugin } from './plugin';

export { weiboPlugin, revokeAccess } from './plugin';
export { manifest } from './manifest';
export { renderWeibo, type WeiboPayload, type WeiboSharePayload, type WeiboArticlePayload } from './render';
export { createWeiboSimulator, type WeiboSimulatorOptions } from './simulator';
export { markerValue } from './marker';

export default weiboPlugin;
