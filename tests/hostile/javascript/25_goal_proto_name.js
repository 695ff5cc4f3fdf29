// attempts: a goal named __proto__
// expect: unknown goal
// limit_s: 5
async function run(bot) {
  const g = new GoalBlock(0, 0, 0)
  g.__name = '__proto__'
  bot.pathfinder.setGoal(g)
}
