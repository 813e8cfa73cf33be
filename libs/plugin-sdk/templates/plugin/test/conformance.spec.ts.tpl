import { describeConformance } from '@tongfa/plugin-sdk/testing';
import plugin from '../src/index';
import { create{{pascal}}Simulator } from '../src/simulator';

// Every Tongfa plugin must pass this suite against its simulator before the hub will install it.
describeConformance(plugin, () => create{{pascal}}Simulator());
