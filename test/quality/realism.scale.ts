/**
 * realism.test.ts over the whole grid: every scenario in every market, for the yearly checks and
 * the record estimate (`npm run test:scale` sets ORDERSTREAM_TEST_SCALE=full).
 */
import './realism.test.js';
