/** The fuzzing of fuzz.test.ts at full length: `npm run test:scale` sets FUZZ_RUNS=10000 (vitest.scale.config.ts). */
import './fuzz.test.js';
