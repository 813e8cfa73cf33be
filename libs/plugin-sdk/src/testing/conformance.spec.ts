import { describeConformance } from './conformance';
import { loadScaffoldedPlugin } from './template-fixture.spec-support';

// The scaffold is the reference plugin: it must pass the whole suite.
const { plugin, createSimulator } = loadScaffoldedPlugin();
describeConformance(plugin, createSimulator, { numRuns: 40, seed: 42 });
