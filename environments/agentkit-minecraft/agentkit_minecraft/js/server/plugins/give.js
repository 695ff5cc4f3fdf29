'use strict'
// /give <targets> <item> [count]
//
// flying-squid's /give keeps the count as the string it parsed: the slot holds "5", the
// next pickup makes it "51" and then "511", and the item count no longer fits the protocol's
// byte, so the client is kicked (RangeError ... Received 161). It also adds everything to the
// first matching slot, past the stack size. This /give parses the count as an integer
// (1..6400), accepts minecraft: prefixes, and fills stacks like a pickup (player.addItem);
// what does not fit is dropped at the player's feet, as in vanilla.

const UserError = require('flying-squid').UserError
const { resolveTargets, feedback } = require('../lib/targets')

module.exports.server = function (serv) {
  const { registry } = serv
  serv.commands.add({
    base: 'give',
    info: 'Gives an item to a player.',
    usage: '/give <player> <item> [count]',
    tab: ['player', 'item', 'number'],
    op: true,
    parse (str) {
      const args = str.trim().split(/\s+/)
      if (args.length < 2 || args.length > 3 || !args[0]) return false
      return args
    },
    action ([target, itemArg, countArg], ctx) {
      const name = itemArg.replace(/^minecraft:/, '').replace(/\{.*$/, '')
      const item = /^\d+$/.test(name) ? registry.items[Number(name)] : registry.itemsByName[name]
      if (!item) throw new UserError(`Unknown item '${itemArg}'`)
      const count = countArg === undefined ? 1 : Number(countArg)
      if (!Number.isInteger(count) || count < 1 || count > 6400) throw new UserError('Count must be an integer between 1 and 6400')
      const players = resolveTargets(serv, target, ctx).filter(e => e.type === 'player')
      if (players.length === 0) throw new UserError('No player was found')
      for (const p of players) p.addItemOrDrop(item.id, count)
      feedback(serv, ctx, players.length === 1
        ? `Gave ${count} [${item.displayName}] to ${players[0].username}`
        : `Gave ${count} [${item.displayName}] to ${players.length} players`)
    }
  })
}
