'use strict'
// chat(bot, message): say something (commands such as "/time set day" work too). Waits
// briefly for the server's echo so that it lands in this step's events.

const { checkBot } = require('./util')

async function chat (ctx, bot, message) {
  checkBot(bot, 'chat', 'bot, message')
  if (message === undefined || message === null) throw new Error('message for chat must be a string')
  const text = typeof message === 'string' ? message : JSON.stringify(message)
  const echo = new Promise((resolve) => {
    const timer = setTimeout(done, 400)
    function done () { clearTimeout(timer); bot.removeListener('messagestr', done); resolve() }
    bot.on('messagestr', done)
  })
  bot.chat(text)
  await ctx.race(echo)
  return true
}

module.exports = chat
