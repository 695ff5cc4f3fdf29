// attempts: 5000 pending timers (each a timer in the bridge, outside the isolate's heap)
// expect: over 1000 timers at once
// limit_s: 5
async function run(bot) {
  for (let i = 0; i < 5000; i++) setTimeout(() => {}, 100000)
  await new Promise((resolve) => setTimeout(resolve, 50))
}
