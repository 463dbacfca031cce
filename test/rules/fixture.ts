export { readFixture, type FixtureExpectations } from '../../scripts/fixture-labels.js';
