/** The fuzzing of fuzz.test.ts at full length: 10,000 generated requests (`npm run test:scale` sets ORDERSTREAM_TEST_SCALE=full). */
import './fuzz.test.js';
