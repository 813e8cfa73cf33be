import { wechatPlugin } from './plugin';

export { wechatPlugin } from './plugin';
export { manifest, LIMITS } from './manifest';
export { renderWechat, type WechatPayload } from './render';
export { createWechatSimulator, type WechatSimulator, type WechatSimulatorOptions, type WechatControl } from './simulator';

export default wechatPlugin;
