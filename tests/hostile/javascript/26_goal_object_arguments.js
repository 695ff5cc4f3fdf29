// attempts: goal arguments that are objects with toString side effects
// expect: must be a number
// limit_s: 5
async function run(bot) {
  await bot.pathfinder.goto(new GoalNear({ toString: () => 'process' }, 0, 0, 1))
}
