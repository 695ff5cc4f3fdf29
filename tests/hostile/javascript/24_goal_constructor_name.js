// attempts: a goal whose name is 'constructor' (host-side lookup on the goals module)
// expect: unknown goal
// limit_s: 5
async function run(bot) {
  const g = new GoalNear(0, 0, 0, 1)
  g.__name = 'constructor'
  await bot.pathfinder.goto(g)
}
