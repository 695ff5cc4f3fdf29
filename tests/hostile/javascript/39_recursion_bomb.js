// attempts: unbounded recursion
// expect: Maximum call stack size exceeded
// limit_s: 5
async function run(bot) {
  function f (n) { return f(n + 1) + 1 }
  return f(0)
}
