import { describeConformance } from '@tongfa/plugin-sdk/testing';
import plugin, { createOwnAppSimulator } from './index';

describeConformance(plugin, () => createOwnAppSimulator());
