// attempts: a static import statement
// expect: SyntaxError|Cannot use import
// limit_s: 5
import fs from 'fs'
async function run(bot) {
  return fs.readFileSync('{CANARY}', 'utf8')
}
