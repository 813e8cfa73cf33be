import { describeConformance } from '@tongfa/plugin-sdk/testing';
import { wechatPlugin } from './plugin';
import { createWechatSimulator } from './simulator';

describeConformance(wechatPlugin, () => createWechatSimulator());
