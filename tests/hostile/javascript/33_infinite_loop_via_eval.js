// attempts: an endless loop inside eval (no source instrumentation can see it)
// expect: timed out
// limit_s: 5
async function run(bot) {
  eval('for (;;) {}')
}
