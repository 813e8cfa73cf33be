import { nanfangPlugin } from './plugin';

export { nanfangPlugin } from './plugin';
export { manifest } from './manifest';
export { renderNanfang, type NanfangPayload } from './render';
export { createNanfangSimulator, type NanfangSimulatorOptions } from './simulator';
export { canonicalQuery, sign, stringToSign, SIGN_HEADERS } from './signing';
export { DEFAULT_FIELDS } from './settings';

export default nanfangPlugin;
