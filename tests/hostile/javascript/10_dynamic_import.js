// attempts: import('fs') at run time
// expect: import|Not supported|not supported|Cannot
// limit_s: 5
async function run(bot) {
  const fs = await import('fs')
  return fs.readFileSync('{CANARY}', 'utf8')
}
