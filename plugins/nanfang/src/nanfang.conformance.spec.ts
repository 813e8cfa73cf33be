import { describeConformance } from '@tongfa/plugin-sdk/testing';
import { createNanfangSimulator, nanfangPlugin } from './index';

describeConformance(nanfangPlugin, () => createNanfangSimulator());
