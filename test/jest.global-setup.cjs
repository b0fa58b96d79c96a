// Each test run gets its own Redis key prefix so runs against a shared Redis never see each other's keys.
module.exports = async () => {
  if (!process.env.TEST_RUN_ID) {
    process.env.TEST_RUN_ID = `t${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  }
};
