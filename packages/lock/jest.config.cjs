// The process tests start 22 Node processes; running this package's files one at a time keeps that burst
// from starving the timing checks of the other files.
module.exports = { ...require('../../tooling/config/jest.preset.cjs'), maxWorkers: 1 };
