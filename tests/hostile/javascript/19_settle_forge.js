// attempts: forge the settlement of a pending host call
// expect: __settle is not defined
// limit_s: 5
async function run(bot) {
  __settle(1, true, '"forged"')
}
