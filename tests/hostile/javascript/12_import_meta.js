// attempts: import.meta to find the host module
// expect: SyntaxError|import.meta
// limit_s: 5
async function run(bot) {
  return import.meta.url
}
